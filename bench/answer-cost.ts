/** Answer cost per question on the seed corpus, against nodejieba cutting the same questions. */
import { createRequire } from 'node:module';
import { createEngine } from '../src/core/engine.js';
import { devQuestions, percentile, SEED_CORPUS, type Row } from './lib.js';

const require = createRequire(import.meta.url);

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const jieba = require('nodejieba') as { cut(s: string): string[] };
  const engine = createEngine({ corpusDir: SEED_CORPUS });
  const questions = devQuestions();
  const rounds = quick ? 3 : 200;
  // each sample is one question asked REPEAT times in a row, so the timer's own cost (a large part
  // of a 2 µs cut) is spread thin; the baseline's sample is taken right before the engine's, so
  // that a noisy moment of the machine falls on both
  const REPEAT = 10;
  const sample = (f: (q: string) => unknown, q: string) => {
    const t0 = performance.now();
    for (let i = 0; i < REPEAT; i++) f(q);
    return ((performance.now() - t0) * 1000) / REPEAT;
  };
  for (let w = 0; w < (quick ? 1 : 20); w++) for (const q of questions) { engine.ask(q); jieba.cut(q); } // warm up
  const cut: number[] = [];
  const ask: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      cut.push(sample((x) => jieba.cut(x), q));
      ask.push(sample((x) => engine.ask(x), q));
    }
  }
  const [p50, p99, b50, b99] = [percentile(ask, 50), percentile(ask, 99), percentile(cut, 50), percentile(cut, 99)];
  return [
    { figure: 'answer cost p50 (seed, dev set)', value: p50, unit: 'µs', baseline: b50, ratio: p50 / b50, target: '≤ 3 × baseline', met: p50 <= 3 * b50 },
    { figure: 'answer cost p99 (seed, dev set)', value: p99, unit: 'µs', baseline: b99, ratio: p99 / b99 },
  ];
}
