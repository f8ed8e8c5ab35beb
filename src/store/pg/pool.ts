/**
 * The connection pool to PostgreSQL (node-postgres), from DATABASE_URL.
 *
 * bigint columns (chat ids, counts) are read as JavaScript numbers: Telegram chat ids stay within
 * 2^53, and so do the counts kept here.
 */
import pg from 'pg';
import type { Logger } from '../../logger.js';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
/** bigint[] (not among the type ids the typings list) */
const INT8_ARRAY = 1016 as Parameters<typeof pg.types.getTypeParser>[0];
const parseInt8Array = pg.types.getTypeParser(INT8_ARRAY) as (v: string) => Array<string | null>;
pg.types.setTypeParser(INT8_ARRAY, (v: string) => parseInt8Array(v).map((x) => (x === null ? null : Number(x))));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** connections at most (default 10) */
  max?: number;
  /** to log connection errors of idle clients (the pool replaces them) */
  logger?: Logger;
  /** what the server shows as the connection's application_name */
  applicationName?: string;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'qingdao-news-bot',
  });
  // an idle connection that breaks (server restart) emits here; without a listener it would crash the process
  pool.on('error', (err) => options.logger?.warn(`store: PostgreSQL connection lost (${err.message}); the pool opens another`));
  return pool;
}

/** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
