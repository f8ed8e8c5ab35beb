/**
 * Question statistics in PostgreSQL. Each process counts in memory and adds its counts to the
 * shared ones every few seconds (increments, so workers never overwrite each other's); the declined
 * questions beyond the most asked MAX_UNANSWERED are dropped at each write.
 */
import type { Logger } from '../../logger.js';
import type { StatsStore } from '../types.js';
import { inTransaction, type Pool } from './pool.js';

const MAX_UNANSWERED = 1000;

export class PgStats implements StatsStore {
  private answered = 0;
  private declined = 0;
  private unanswered = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly flushMs = 5000,
  ) {}

  record(question: string, answered: boolean): void {
    if (answered) this.answered++;
    else {
      this.declined++;
      const q = question.trim().slice(0, 200);
      if (q) this.unanswered.set(q, (this.unanswered.get(q) ?? 0) + 1);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined); // logged; the counts are kept for the next write
    }, this.flushMs);
    this.timer.unref?.();
  }

  async counts(): Promise<{ answered: number; declined: number }> {
    await this.flush().catch(() => undefined);
    const { rows } = await this.pool.query<{ answered: number; declined: number }>('SELECT answered, declined FROM stats');
    return { answered: (rows[0]?.answered ?? 0) + this.answered, declined: (rows[0]?.declined ?? 0) + this.declined };
  }

  async topUnanswered(n: number): Promise<Array<{ question: string; count: number }>> {
    await this.flush().catch(() => undefined);
    const { rows } = await this.pool.query<{ question: string; count: number }>(
      'SELECT question, count FROM unanswered_questions ORDER BY count DESC, question LIMIT $1',
      [n + this.unanswered.size],
    );
    const merged = new Map(rows.map((r) => [r.question, r.count]));
    for (const [q, c] of this.unanswered) merged.set(q, (merged.get(q) ?? 0) + c);
    return [...merged]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([question, count]) => ({ question, count }));
  }

  /** Adds this process's counts to the shared ones; rejects when it cannot (the counts are kept). */
  flush(): Promise<void> {
    const next = this.writing.catch(() => undefined).then(() => this.write());
    this.writing = next;
    return next;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }

  private async write(): Promise<void> {
    if (!this.answered && !this.declined && !this.unanswered.size) return;
    const answered = this.answered;
    const declined = this.declined;
    const unanswered = this.unanswered;
    this.answered = 0;
    this.declined = 0;
    this.unanswered = new Map();
    try {
      await inTransaction(this.pool, async (client) => {
        await client.query('UPDATE stats SET answered = answered + $1, declined = declined + $2', [answered, declined]);
        if (unanswered.size) {
          await client.query(
            `INSERT INTO unanswered_questions (question, count) SELECT * FROM unnest($1::text[], $2::bigint[])
             ON CONFLICT (question) DO UPDATE SET count = unanswered_questions.count + EXCLUDED.count`,
            [[...unanswered.keys()], [...unanswered.values()]],
          );
          await client.query(
            `DELETE FROM unanswered_questions WHERE question IN
               (SELECT question FROM unanswered_questions ORDER BY count DESC, question OFFSET $1)`,
            [MAX_UNANSWERED],
          );
        }
      });
    } catch (err) {
      // kept for the next write
      this.answered += answered;
      this.declined += declined;
      for (const [q, c] of unanswered) this.unanswered.set(q, (this.unanswered.get(q) ?? 0) + c);
      if (this.failures++ === 0) this.logger.error('store: question statistics not written to PostgreSQL; counting goes on', err);
      throw err;
    }
    if (this.failures) this.logger.info(`store: question statistics written again after ${this.failures} failed attempt(s)`);
    this.failures = 0;
  }
}
