/**
 * What was announced, in PostgreSQL: one row per (kind, key). A record that cannot be written is
 * kept in memory (and counted as recorded here) and written with the next one: the broadcast jobs
 * it stands for are saved first and never queued twice, whatever happens to the record.
 */
import type { Logger } from '../../logger.js';
import type { EventKind, EventStore } from '../types.js';
import type { Pool } from './pool.js';

export class PgEvents implements EventStore {
  private readonly pending = new Map<EventKind, Set<string>>();
  private failures = 0;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  hasSession(key: string): Promise<boolean> {
    return this.has('sessions', key);
  }
  hasArticle(id: string): Promise<boolean> {
    return this.has('articles', id);
  }
  hasReminder(key: string): Promise<boolean> {
    return this.has('reminders', key);
  }

  async isFresh(): Promise<boolean> {
    if (this.pending.get('sessions')?.size || this.pending.get('articles')?.size) return false;
    const { rowCount } = await this.pool.query(`SELECT 1 FROM events WHERE kind IN ('sessions', 'articles') LIMIT 1`);
    return !rowCount;
  }

  async record(kind: EventKind, keys: string[]): Promise<void> {
    if (keys.length) {
      let set = this.pending.get(kind);
      if (!set) this.pending.set(kind, (set = new Set()));
      for (const k of keys) set.add(k);
    }
    await this.write();
  }

  async close(): Promise<void> {
    await this.write();
  }

  private async has(kind: EventKind, key: string): Promise<boolean> {
    if (this.pending.get(kind)?.has(key)) return true;
    const { rowCount } = await this.pool.query('SELECT 1 FROM events WHERE kind = $1 AND key = $2', [kind, key]);
    return !!rowCount;
  }

  /** Writes what is pending; never rejects. */
  private async write(): Promise<void> {
    const batch = [...this.pending].flatMap(([kind, keys]) => [...keys].map((key) => ({ kind, key })));
    if (!batch.length) return;
    try {
      await this.pool.query('INSERT INTO events (kind, key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [
        batch.map((b) => b.kind),
        batch.map((b) => b.key),
      ]);
    } catch (err) {
      if (this.failures++ === 0) this.logger.error('store: announcements not recorded in PostgreSQL; kept and written with the next', err);
      return;
    }
    if (this.failures) this.logger.info(`store: announcements recorded again after ${this.failures} failed attempt(s)`);
    this.failures = 0;
    for (const { kind, key } of batch) this.pending.get(kind)?.delete(key);
  }
}
