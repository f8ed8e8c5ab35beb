/**
 * Update ids handled by any worker, in PostgreSQL: the first worker to insert an id handles the
 * update; Telegram's repeat of it, on whichever worker it lands, finds the row. Ids older than a
 * day are dropped (Telegram keeps an update at most 24 hours), at most once every few minutes.
 */
import type { UpdateStore } from '../types.js';
import type { Pool } from './pool.js';

export const UPDATE_RETENTION_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class PgUpdates implements UpdateStore {
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    private readonly retentionMs = UPDATE_RETENTION_MS,
  ) {}

  async seen(updateId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('INSERT INTO processed_updates (update_id) VALUES ($1) ON CONFLICT (update_id) DO NOTHING', [
      updateId,
    ]);
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune().catch(() => undefined);
    return rowCount === 0;
  }

  /** Drops ids older than the retention. */
  async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM processed_updates WHERE processed_at < now() - $1 * interval '1 millisecond'`, [this.retentionMs]);
  }

  async close(): Promise<void> {}
}
