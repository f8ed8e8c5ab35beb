/**
 * The send rate of the whole bot, shared by every worker on one database: BROADCAST_RATE messages a
 * second in all, however many processes send.
 *
 * The database hands out send slots. One row (`send_slots`) holds the time of the next slot nobody
 * holds yet, in the database's clock; a worker that has messages waiting takes the next few slots
 * with one atomic `UPDATE … RETURNING` that moves that time forward, so no two workers ever hold the
 * same slot and nothing else is locked. The worker's RateLimiter then lets one message go in each
 * slot it holds (replies first, as always), and a slot it could not use within `USABLE_MS` of its
 * time is dropped, never saved up: a late process can only send less, not burst.
 *
 * Why this holds the rate in any one-second window: slots are `(1000 + USABLE_MS + JITTER_MS) / rate`
 * milliseconds apart and a message leaves within USABLE_MS of its slot, so a window of one second,
 * widened by the network's jitter, covers at most `rate` slots. A worker takes at most about
 * `LOOKAHEAD_MS` of slots at a time, so an idle worker's reply waits at most that long behind
 * another worker's broadcast.
 *
 * A 429 (Telegram's retry_after) pauses every worker: the next free slot is moved past the pause.
 */
import type pg from 'pg';
import type { SharedSlots } from '../delivery/rate-limiter.js';
import type { Logger } from '../logger.js';

/** How long after its time a slot may still be used. */
export const USABLE_MS = 10;
/** Room for the network's jitter between a worker and Telegram. */
export const JITTER_MS = 20;
/** The slots a worker takes at a time cover about this much time. */
const LOOKAHEAD_MS = 100;
/** After a failed request for slots, the wait before the next one. */
const RETRY_MS = 1000;

/** The time between two slots, in milliseconds, for a rate in messages a second. */
export function slotSpacing(rate: number): number {
  return (1000 + USABLE_MS + JITTER_MS) / rate;
}

export interface SharedRateOptions {
  pool: pg.Pool;
  /** messages a second, all workers together (BROADCAST_RATE) */
  rate: number;
  logger: Logger;
  /** the limit's name: workers sharing a name share the rate (one per bot token) */
  name?: string;
}

export class SharedRate implements SharedSlots {
  private readonly spacingUs: number;
  /** slots held, in this process's clock (ms), earliest first */
  private held: number[] = [];
  private refilling?: Promise<void>;
  /** the last request's round trip, to start the slots asked for after it is back */
  private roundTripMs = 5;
  private failing = false;
  private retryAt = 0;

  constructor(private readonly options: SharedRateOptions) {
    if (!(options.rate > 0)) throw new Error(`shared rate: the rate must be above 0, not ${options.rate}`);
    this.spacingUs = Math.round(slotSpacing(options.rate) * 1000);
  }

  private get name(): string {
    return this.options.name ?? 'telegram';
  }

  /** The earliest slot held that is still usable at `from`, dropping those that no longer are. */
  first(from: number): number | undefined {
    while (this.held.length && this.held[0]! + USABLE_MS < from) this.held.shift();
    return this.held[0];
  }

  /** Uses the slot at `at` (the first held). */
  use(at: number): void {
    if (this.held[0] === at) this.held.shift();
  }

  /**
   * Takes slots from the database for about `wanted` messages (at most LOOKAHEAD_MS of them);
   * resolves when they are held, or, after a failure (logged once), when it is worth asking again.
   */
  refill(wanted: number): Promise<void> {
    this.refilling ??= this.take(wanted).finally(() => {
      this.refilling = undefined;
    });
    return this.refilling;
  }

  /** Pauses every worker for `ms` (Telegram's retry_after). */
  pause(ms: number): void {
    const until = Date.now() + ms;
    this.held = this.held.filter((t) => t >= until);
    this.options.pool
      .query(
        `UPDATE send_slots SET next_us = GREATEST(next_us, (extract(epoch FROM statement_timestamp()) * 1e6)::bigint + $2::bigint)
         WHERE name = $1`,
        [this.name, Math.round(ms * 1000)],
      )
      .catch((err: Error) => this.options.logger.warn(`shared rate: the pause was not shared with the other workers (${err.message})`));
  }

  private async take(wanted: number): Promise<void> {
    const wait = this.retryAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const most = Math.max(1, Math.ceil((LOOKAHEAD_MS * 1000) / this.spacingUs));
    const n = Math.max(1, Math.min(wanted, most));
    // the first slot a little after the answer is back, so that it is not spent on the way
    const leadUs = Math.round(Math.min(200, 2 * this.roundTripMs + 2) * 1000);
    const sentAt = Date.now();
    try {
      const { rows } = await this.options.pool.query<{ first_us: string; now_us: string }>(
        `INSERT INTO send_slots AS s (name, next_us)
           VALUES ($1, (extract(epoch FROM statement_timestamp()) * 1e6)::bigint + $2::bigint + $3::bigint * $4::bigint)
         ON CONFLICT (name) DO UPDATE
           SET next_us = GREATEST(s.next_us, (extract(epoch FROM statement_timestamp()) * 1e6)::bigint + $2::bigint) + $3::bigint * $4::bigint
         RETURNING s.next_us - $3::bigint * $4::bigint AS first_us, (extract(epoch FROM statement_timestamp()) * 1e6)::bigint AS now_us`,
        [this.name, leadUs, n, this.spacingUs],
      );
      const backAt = Date.now();
      this.roundTripMs = backAt - sentAt;
      // the database's clock read in the middle of the round trip
      const offsetMs = Number(rows[0]!.now_us) / 1000 - (sentAt + backAt) / 2;
      const firstMs = Number(rows[0]!.first_us) / 1000 - offsetMs;
      for (let k = 0; k < n; k++) this.held.push(firstMs + (k * this.spacingUs) / 1000);
      if (this.failing) this.options.logger.info('shared rate: slots from the database again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) {
        this.options.logger.error(
          `shared rate: cannot take send slots from the database (${(err as Error).message}); nothing is sent until it answers`,
        );
      }
      this.failing = true;
      this.retryAt = Date.now() + RETRY_MS;
    }
  }
}
