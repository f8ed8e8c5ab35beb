/**
 * The bot's own data in DATA_DIR, behind small typed modules (so a server database can replace
 * lowdb without touching features): subscribers, announcement records, statistics, broadcast jobs.
 * One file each, one writer per file, and one bot process per folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { Broadcasts } from './broadcasts.js';
import { Events } from './events.js';
import { lockDataDir } from './lock.js';
import { Stats } from './stats.js';
import { Subscribers } from './subscribers.js';

export interface Store {
  subscribers: Subscribers;
  events: Events;
  stats: Stats;
  broadcasts: Broadcasts;
  /** writes what is pending (a write that fails is logged, not thrown) and releases the folder */
  close(): Promise<void>;
}

export async function openStore(dir: string, logger: Logger, now?: () => Date): Promise<Store> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`store: ${dir}: cannot create the data folder (${(err as Error).message})`);
  }
  const release = lockDataDir(dir);
  try {
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), logger, now);
    const events = await Events.open(join(dir, 'events.json'), logger);
    const stats = await Stats.open(join(dir, 'stats.json'), logger);
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), logger);
    return {
      subscribers,
      events,
      stats,
      broadcasts,
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
