/** Answer cost per question on the seed corpus, against nodejieba cutting the same questions (reported, no target). */
import { createRequire } from 'node:module';
import { createEngine } from '../src/core/engine.js';
import { devQuestions, percentile, SEED_CORPUS, type Row } from './lib.js';

const require = createRequire(import.meta.url);

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const jieba = require('nodejieba') as { cut(s: string): string[] };
  const engine = createEngine({ corpusDir: SEED_CORPUS });
  await engine.ready();
  const questions = devQuestions();
  const rounds = quick ? 3 : 50;
  for (let w = 0; w < (quick ? 1 : 5); w++)
    for (const q of questions) {
      await engine.ask(q);
      jieba.cut(q);
    } // warm up
  const cut: number[] = [];
  const ask: number[] = [];
  // the baseline's sample is taken right before the engine's, so that a noisy moment falls on both
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      let t0 = performance.now();
      jieba.cut(q);
      cut.push((performance.now() - t0) * 1000);
      t0 = performance.now();
      await engine.ask(q);
      ask.push((performance.now() - t0) * 1000);
    }
  }
  const [p50, p99, b50, b99] = [percentile(ask, 50), percentile(ask, 99), percentile(cut, 50), percentile(cut, 99)];
  return [
    { figure: 'answer cost p50 (seed, dev set)', value: p50, unit: 'µs', baseline: b50, ratio: p50 / b50 },
    { figure: 'answer cost p99 (seed, dev set)', value: p99, unit: 'µs', baseline: b99, ratio: p99 / b99 },
  ];
}
