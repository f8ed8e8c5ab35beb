/** A migrated database of its own for a cluster test, and jobs written into it as the store writes them. */
import { migrate } from '../../src/store/pg/migrate.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { postgresOrSkip } from '../support/postgres.js';

/** A fresh migrated database; its URL. Skips the suite when PostgreSQL is missing. */
export async function freshDatabase(ctx: Mocha.Context): Promise<string> {
  const server = await postgresOrSkip(ctx);
  const url = await server.createDatabase();
  const pool = createPool(url, { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return url;
}

/** Pools opened by a test, each standing for one worker; all closed by `closeAll`. */
export class Pools {
  private readonly pools: Pool[] = [];
  open(url: string, max = 4): Pool {
    const pool = createPool(url, { max });
    this.pools.push(pool);
    return pool;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((p) => p.end().catch(() => undefined)));
  }
}

/** Queues a broadcast job with its recipients, in sending order. */
export async function insertJob(
  pool: Pool,
  id: string,
  recipients: number[],
  options: { expiresAt?: Date; html?: string } = {},
): Promise<void> {
  await pool.query(`INSERT INTO broadcasts (id, kind, html, created_at, expires_at) VALUES ($1, 'admin', $2, now(), $3)`, [
    id,
    options.html ?? '通知',
    options.expiresAt ?? null,
  ]);
  await pool.query(
    `INSERT INTO broadcast_recipients (broadcast_id, chat_id, position)
     SELECT $1, chat_id, ord FROM unnest($2::bigint[]) WITH ORDINALITY AS t(chat_id, ord)`,
    [id, recipients],
  );
}
