import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS } from '../../bench/lib.js';
import { ROOT } from '../helpers.js';

describe('npm run bench (smoke run at a tiny size)', function () {
  this.timeout(120_000);

  it('runs every benchmark and writes the figures as JSON', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build/bench/run.js'), '--quick'], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('| figure').and.include('cold start');
    const json = JSON.parse(readFileSync(join(ROOT, 'bench/results/quick.json'), 'utf8'));
    expect(Object.keys(json.results)).to.deep.equal(BENCHMARKS);
    for (const rows of Object.values(json.results) as Array<Array<{ value: number }>>) {
      for (const row of rows) expect(row.value).to.be.a('number').and.satisfy(Number.isFinite);
    }
  });
});
