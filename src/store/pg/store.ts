/**
 * The store in PostgreSQL (DATABASE_URL): the same modules as the embedded store, in one database
 * that any number of bot processes share. The schema is migrated when the store opens.
 */
import type { Logger } from '../../logger.js';
import type { Store, StoreOptions } from '../types.js';
import { PgBroadcasts } from './broadcasts.js';
import { PgConversations } from './conversations.js';
import { PgEvents } from './events.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { PgStats } from './stats.js';
import { PgSubscribers } from './subscribers.js';
import { PgUpdates } from './updates.js';

/** The database's address without its password, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

export async function openPostgresStore(url: string, logger: Logger, options: StoreOptions = {}): Promise<Store> {
  const pool = createPool(url, { logger });
  try {
    await migrate(pool, logger);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`store: PostgreSQL at ${describeDatabase(url)}: ${(err as Error).message}`);
  }
  const subscribers = new PgSubscribers(pool, logger, options.now);
  const events = new PgEvents(pool, logger);
  const stats = new PgStats(pool, logger);
  const broadcasts = new PgBroadcasts(pool, logger);
  const updates = new PgUpdates(pool);
  const conversations = new PgConversations(pool);
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    subscribers,
    events,
    stats,
    broadcasts,
    updates,
    conversations,
    pool,
    close() {
      closed ??= (async () => {
        // each writes what is pending and never rejects: a failed write is logged
        await Promise.all([stats.close(), subscribers.close(), events.close(), broadcasts.close()]);
        await pool.end().catch(() => undefined);
      })();
      return closed;
    },
  };
}
