/**
 * The bot's own data, behind small typed modules (types.ts): subscribers, announcement records,
 * statistics, broadcast jobs, handled update ids and conversations. Two back ends:
 * - embedded (the default): lowdb files in DATA_DIR, one file per module with one writer each, one
 *   bot process per folder (its lock); update ids and conversations in memory;
 * - PostgreSQL (DATABASE_URL set): every module in one database that any number of bot processes
 *   share (pg/).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { Broadcasts } from './broadcasts.js';
import { MemoryConversations } from './conversations.js';
import { Events } from './events.js';
import { lockDataDir } from './lock.js';
import { Stats } from './stats.js';
import { Subscribers } from './subscribers.js';
import type { Store, StoreOptions } from './types.js';
import { MemoryUpdates } from './updates.js';

export type * from './types.js';

/** Opens the store: PostgreSQL when `databaseUrl` is given (migrated first), else the files in `dir`. */
export async function openStore(dir: string, logger: Logger, options: StoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) {
    const { openPostgresStore } = await import('./pg/store.js');
    return openPostgresStore(options.databaseUrl, logger, options);
  }
  return openFileStore(dir, logger, options);
}

/** The embedded store: lowdb files in `dir`, which this process locks. */
export async function openFileStore(dir: string, logger: Logger, options: StoreOptions = {}): Promise<Store> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`store: ${dir}: cannot create the data folder (${(err as Error).message})`);
  }
  const release = lockDataDir(dir);
  try {
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), logger, options.now);
    const events = await Events.open(join(dir, 'events.json'), logger);
    const stats = await Stats.open(join(dir, 'stats.json'), logger);
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), logger);
    return {
      kind: 'lowdb',
      subscribers,
      events,
      stats,
      broadcasts,
      updates: new MemoryUpdates(),
      conversations: new MemoryConversations(),
      async close() {
        // each writes what is pending and never rejects: a failed write is logged
        await Promise.all([stats.close(), subscribers.close(), events.close(), broadcasts.close()]);
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
