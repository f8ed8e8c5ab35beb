/** Memory (RSS) after start, seed corpus and 1000 × the seed, against jieba loaded alone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT, runChild, SEED_CORPUS, writeSyntheticCorpus, type Row } from './lib.js';

const MB = 1024 * 1024;

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const runs = quick ? 1 : 3;
  const rss = async (script: string, args: string[] = []) => {
    const values: number[] = [];
    for (let i = 0; i < runs; i++) values.push((await runChild(join(ROOT, script), args)).rss / MB);
    return median(values);
  };
  const baseline = await rss('build/bench/children/jieba-only.js');
  const seed = await rss('build/bench/children/first-answer.js', [SEED_CORPUS, '--bot']);
  const copies = quick ? 10 : 1000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  try {
    writeSyntheticCorpus(dir, copies, true);
    const large = await rss('build/bench/children/first-answer.js', [dir, '--bot']);
    return [
      {
        figure: 'memory after start (seed)',
        value: seed,
        unit: 'MB',
        baseline,
        ratio: seed / baseline,
        note: `+${(seed - baseline).toFixed(1)} MB`,
      },
      {
        figure: `memory after start (${copies} × seed)`,
        value: large,
        unit: 'MB',
        baseline,
        ratio: large / baseline,
        note: `+${(large - baseline).toFixed(1)} MB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
