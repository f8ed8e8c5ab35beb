/**
 * `npm run bench`: every benchmark, one script per operation, printed as a table and written to
 * bench/results/latest.json. Timings come with a baseline measured in the same run, because
 * machines are noisy. `--quick` runs each at a tiny size (a smoke test); `--only A,B` runs
 * those (into partial.json).
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS, printTable, ROOT, writeJson, type Row } from './lib.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : undefined;
  const unknown = only?.filter((name) => !BENCHMARKS.includes(name)) ?? [];
  if (unknown.length) {
    process.stderr.write(`bench: no benchmark named ${unknown.join(', ')} (have: ${BENCHMARKS.join(', ')})\n`);
    process.exitCode = 2;
    return;
  }
  const rows: Row[] = [];
  const results: Record<string, Row[]> = {};
  for (const name of BENCHMARKS.filter((b) => !only || only.includes(b))) {
    process.stderr.write(`bench: ${name}…\n`);
    const mod = (await import(`./${name}.js`)) as { run(o: { quick: boolean }): Promise<Row[]> };
    results[name] = await mod.run({ quick });
    rows.push(...results[name]!);
  }
  printTable(rows);
  // a partial or quick run never replaces the full figures the README quotes
  const out = join(ROOT, 'bench/results', quick ? 'quick.json' : only ? 'partial.json' : 'latest.json');
  writeJson(out, {
    date: new Date().toISOString(),
    quick,
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30) },
    results,
  });
  process.stderr.write(`bench: written to ${out}\n`);
  if (rows.some((r) => r.met === false)) process.exitCode = 0; // misses are reported, not a crash
}

await main();
