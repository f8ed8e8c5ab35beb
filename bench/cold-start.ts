/** Cold start: process start → engine ready → first answer, against jieba loading its dictionaries alone. */
import { join } from 'node:path';
import { median, ROOT, runChild, SEED_CORPUS, type Row } from './lib.js';

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const runs = quick ? 1 : 7;
  const base: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push((await runChild(join(ROOT, 'build/bench/children/jieba-only.js'))).ms);
    ours.push((await runChild(join(ROOT, 'build/bench/children/first-answer.js'), [SEED_CORPUS])).ms);
  }
  const value = median(ours);
  const baseline = median(base);
  return [
    {
      figure: 'cold start → first answer',
      value,
      unit: 'ms',
      baseline,
      ratio: value / baseline,
      target: '≤ 1.2 × baseline',
      met: value <= 1.2 * baseline,
      note: `median of ${runs} runs`,
    },
  ];
}
