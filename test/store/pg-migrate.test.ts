import { expect } from 'chai';
import { migrate } from '../../src/store/pg/migrate.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { postgresOrSkip } from '../support/postgres.js';

describe('PostgreSQL migrations', () => {
  let url: string;
  const pools: Pool[] = [];

  before(async function () {
    this.timeout(60_000);
    const pg = await postgresOrSkip(this);
    url = await pg.createDatabase();
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  /** a pool of its own: another process, as far as the server can tell */
  function connect(): Pool {
    const p = createPool(url);
    pools.push(p);
    return p;
  }

  it('applies every migration once, even when two processes start at once', async () => {
    const pool = connect();
    const [a, b] = await Promise.all([migrate(pool), migrate(connect())]);
    const applied = [...a, ...b].sort((x, y) => x - y);
    expect(applied[0]).to.equal(1);
    expect(new Set(applied).size).to.equal(applied.length);
    expect(await migrate(pool)).to.deep.equal([]);
    const { rows } = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).to.deep.equal(applied);
    for (const table of ['subscribers', 'events', 'stats', 'broadcasts', 'broadcast_recipients', 'processed_updates', 'conversations']) {
      const { rowCount } = await pool.query('SELECT 1 FROM information_schema.tables WHERE table_name = $1', [table]);
      expect(rowCount, table).to.equal(1);
    }
  });
});
