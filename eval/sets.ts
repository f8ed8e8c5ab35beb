/**
 * Question sets, as the evaluation and the training read them: one JSON object a line,
 * `{"id", "q", "chat"?, "expect"?, "refuse"?, "refuse_or"?, "forbid"?}` (the format of
 * ../shared/eval/dev.jsonl; see docs/ask-contract.md in the shared folder). Lines with the same
 * `chat` are one conversation, asked in order.
 */
import { readFileSync } from 'node:fs';

export interface Item {
  id: string;
  q: string;
  chat?: string;
  /** each entry must be in the reply's body; an entry that is a list: any one of it */
  expect?: Array<string | string[]>;
  /** the question must be declined */
  refuse?: boolean;
  /** declined, or the reply names each of these (it said whose facts it gives) */
  refuse_or?: string[];
  /** none of these may be in the reply */
  forbid?: string[];
  /** the page a reading-comprehension question was written on */
  page?: string;
}

export type Verdict = 'right' | 'wrong' | 'declined';

export function readSet(file: string): Item[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Item;
      } catch (err) {
        throw new Error(`eval: ${file}:${i + 1}: not JSON (${(err as Error).message})`);
      }
    });
}

/** Text compared as the evaluation compares it: NFKC, no white space, lower case. */
export const comparable = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Whether a text holds an expected entry (any of its alternatives). */
export function holds(text: string, entry: string | string[]): boolean {
  const t = comparable(text);
  return (Array.isArray(entry) ? entry : [entry]).some((alt) => t.includes(comparable(alt)));
}

/** Whether the item wants the question declined (or at least not answered as if the pages said it). */
export const mustDecline = (item: Item) => item.refuse === true || item.refuse_or !== undefined;

/**
 * An answer judged as ../shared/eval/score.mjs judges it. An answerable item is right when answered
 * with every expected entry in the reply's body (the text before the source line "——摘自") and no
 * forbidden one, wrong when answered otherwise, declined when not answered. An item that must be
 * declined is right when declined (or, for `refuse_or`, when the reply names what it must), wrong
 * otherwise.
 */
export function judge(item: Item, answered: boolean, reply: string): Verdict {
  if (item.refuse) return answered ? 'wrong' : 'right';
  if (item.refuse_or) return !answered || item.refuse_or.every((e) => holds(reply, e)) ? 'right' : 'wrong';
  if (!answered) return 'declined';
  const body = reply.split('——摘自')[0]!;
  const ok = (item.expect ?? []).every((e) => holds(body, e)) && !(item.forbid ?? []).some((f) => holds(body, f));
  return ok ? 'right' : 'wrong';
}
