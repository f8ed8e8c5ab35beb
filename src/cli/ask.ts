/**
 * `npm run ask`: the answer engine from the shell (see README, "Asking from the shell").
 *
 *   npm run ask -- "工行个人养老金储蓄5年期利率是多少?"      prints the reply a private chat would get
 *   npm run --silent ask -- --json [--corpus DIR] < questions   one JSON object per input line
 *
 * Options: --corpus DIR (default ./corpus), --now ISO-TIME (the clock, for schedule answers).
 * Logs and corpus warnings go to stderr; stdout carries only replies.
 */
import { createInterface } from 'node:readline';
import { createEngine, type Conversation, type Engine } from '../core/engine.js';
import { DEFAULT_CORPUS_DIR } from '../core/paths.js';

interface Options {
  json: boolean;
  corpus: string;
  now?: Date;
  question: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false, corpus: DEFAULT_CORPUS_DIR, question: '' };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') opts.json = true;
    else if (a === '--corpus') opts.corpus = argv[++i] ?? fail('ask: --corpus needs a folder');
    else if (a === '--now') {
      const value = argv[++i] ?? fail('ask: --now needs a date-time, e.g. 2023-03-30T10:00:00+08:00');
      opts.now = new Date(value);
      if (Number.isNaN(opts.now.getTime())) fail(`ask: --now: not a date-time: ${value}`);
    } else rest.push(a);
  }
  opts.question = rest.join(' ');
  return opts;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Handles one line of JSON-lines mode. */
export async function answerLine(engine: Engine, line: string, lineNo: number, chats: Map<string, Conversation>): Promise<object> {
  const trimmed = line.trim();
  const bad = (text: string, error: string) => ({
    chat: null,
    text,
    answered: false,
    reply: '',
    intent: 'error',
    score: 0,
    sources: [],
    error,
  });
  if (!trimmed) return bad('', 'empty line');
  let chat = `line-${lineNo}`;
  let text = trimmed;
  let shared = false;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      return bad(trimmed.slice(0, 200), `invalid JSON: ${(err as Error).message}`);
    }
    const obj = parsed as { chat?: unknown; text?: unknown };
    if (typeof obj !== 'object' || obj === null || typeof obj.text !== 'string') {
      return bad('', 'a JSON line needs a "text" string');
    }
    text = obj.text;
    if (obj.chat !== undefined && obj.chat !== null) {
      chat = String(obj.chat);
      shared = true;
    }
  }
  let conversation = shared ? chats.get(chat) : undefined;
  if (!conversation) {
    conversation = {};
    if (shared) chats.set(chat, conversation);
  }
  const a = await engine.ask(text, conversation);
  return {
    chat,
    text,
    answered: a.answered,
    reply: a.reply,
    intent: a.intent,
    score: Math.round(a.score * 1000) / 1000,
    sources: a.sources,
    suggestions: a.suggestions,
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let engine: Engine;
  try {
    engine = createEngine({ corpusDir: opts.corpus, now: opts.now ? () => opts.now! : undefined });
    await engine.ready();
  } catch (err) {
    fail(`ask: the engine could not start: ${(err as Error).message}`);
  }
  for (const w of engine.warnings) process.stderr.write(`warning: ${w}\n`);

  if (!opts.json) {
    if (!opts.question.trim())
      fail('usage: npm run ask -- "你的问题"   or   npm run --silent ask -- --json [--corpus DIR] < questions.txt');
    process.stdout.write(`${(await engine.ask(opts.question)).reply}\n`);
    return;
  }

  const chats = new Map<string, Conversation>();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    let out: object;
    try {
      out = await answerLine(engine, line, lineNo, chats);
    } catch (err) {
      process.stderr.write(`ask: line ${lineNo}: ${(err as Error).stack}\n`);
      out = {
        chat: null,
        text: line.slice(0, 200),
        answered: false,
        reply: '',
        intent: 'error',
        score: 0,
        sources: [],
        error: `internal error: ${(err as Error).message}`,
      };
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

await main();
