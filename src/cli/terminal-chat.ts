/**
 * The local chat: the bot's conversation in a terminal, for when no BOT_TOKEN is set.
 * One conversation, so follow-ups work; /schedule, /help and /quit as in the bot.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../core/engine.js';

export async function runTerminalChat(engine: Engine, input: Readable, output: Writable): Promise<void> {
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  const say = (text: string) => output.write(`${text}\n`);
  const conversation = {};

  say(`青岛新闻问答 · 本地对话(已收录 ${engine.knowledge.articles.length} 篇报道)`);
  say('直接输入问题,例如“下期民生在线什么时候?”;/help 帮助,/quit 退出。');
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt('你> ');
    rl.prompt();
  };
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line === '') {
      prompt();
      continue;
    }
    const reply =
      line === '/schedule'
        ? engine.scheduleAnswer().reply
        : (await engine.ask(line === '/help' || line === '/start' ? '帮助' : line, conversation)).reply;
    say(`\n${reply}\n`);
    prompt();
  }
  rl.close();
}
