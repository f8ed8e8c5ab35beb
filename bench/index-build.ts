/** Index build throughput at 1 × and 100 × the seed, against nodejieba cutting the same text (reported, no target). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../src/core/engine.js';
import { median, writeSyntheticCorpus, type Row } from './lib.js';

const require = createRequire(import.meta.url);

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const jieba = require('nodejieba') as { cut(s: string): string[] };
  const rows: Row[] = [];
  const empty = mkdtempSync(join(tmpdir(), 'bench-empty-'));
  createEngine({ corpusDir: empty }); // jieba's dictionaries loaded before timing
  rmSync(empty, { recursive: true });
  for (const copies of quick ? [1, 10] : [1, 100]) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
    try {
      const { chars } = writeSyntheticCorpus(dir, copies);
      const texts = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'));
      // the first builds of a process measure V8 compiling the builder: a few run untimed first;
      // the baseline is timed right before each build and the medians are compared
      const [warmup, repeat] = quick ? [0, 3] : copies === 1 ? [10, 50] : [1, 5];
      for (let r = 0; r < warmup; r++) createEngine({ corpusDir: dir });
      const cuts: number[] = [];
      const builds: number[] = [];
      for (let r = 0; r < repeat; r++) {
        let t0 = performance.now();
        for (const t of texts) for (const line of t.split('\n')) if (line) jieba.cut(line);
        cuts.push((performance.now() - t0) / 1000);
        t0 = performance.now();
        createEngine({ corpusDir: dir });
        builds.push((performance.now() - t0) / 1000);
      }
      const [cutSeconds, buildSeconds] = [median(cuts), median(builds)];
      const value = chars / buildSeconds;
      const baseline = chars / cutSeconds;
      rows.push({
        figure: `index build (${copies} × seed)`,
        value: value / 1000,
        unit: 'k chars/s',
        baseline: baseline / 1000,
        ratio: value / baseline,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
