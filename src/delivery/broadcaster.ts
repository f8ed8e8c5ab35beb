/**
 * Sends broadcast jobs, one job at a time, in batches: each batch goes out concurrently under the
 * rate limiter, then the job's progress is written once. After a crash the job resumes from its last
 * checkpoint: nobody is skipped, and only the batch in flight at the moment of the crash can be
 * sent twice.
 *
 * 429: wait retry_after (all sending pauses), then the same message again. Network errors and 5xx:
 * retried with backoff. 403 and "chat not found": the chat is marked blocked (its subscription paused).
 */
import type { Logger } from '../logger.js';
import type { BroadcastJob, BroadcastKind, Broadcasts } from '../store/broadcasts.js';
import type { Subscribers } from '../store/subscribers.js';
import { RateLimiter, realClock, type Clock } from './rate-limiter.js';

/** Sends one HTML message; throws telegraf's errors (`code`, `description`, `parameters.retry_after`). */
export type SendMessage = (chatId: number, html: string) => Promise<unknown>;

export type Outcome = 'delivered' | 'blocked' | 'failed';

const MAX_ATTEMPTS = 6;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const BLOCKED =
  /chat not found|user is deactivated|bot was kicked|bot was blocked|peer_id_invalid|not enough rights|bot is not a member|group chat was deactivated/i;

type Verdict = { retryAfterMs: number } | 'blocked' | 'transient' | 'fatal';

/** What a failed send means for the chat and the job. */
export function classify(err: unknown): Verdict {
  const e = err as {
    code?: unknown;
    description?: string;
    message?: string;
    parameters?: { retry_after?: number };
    response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
  };
  const code = typeof e.code === 'number' ? e.code : e.response?.error_code;
  const description = e.description ?? e.response?.description ?? e.message ?? '';
  if (code === 429) return { retryAfterMs: 1000 * Math.max(1, e.parameters?.retry_after ?? e.response?.parameters?.retry_after ?? 1) };
  if (code === 403) return 'blocked';
  if (code === 400 && BLOCKED.test(description)) return 'blocked';
  if (typeof code === 'number' && code >= 500) return 'transient';
  if (typeof code === 'number') return 'fatal';
  return 'transient'; // no answer from the server: connection reset, timeout
}

export interface BroadcasterOptions {
  broadcasts: Broadcasts;
  subscribers: Subscribers;
  send: SendMessage;
  logger: Logger;
  /** messages a second overall */
  rate: number;
  /** messages sent concurrently before a checkpoint; the most that can go out twice after a crash */
  batchSize?: number;
  clock?: Clock;
  /** called after every checkpoint (e.g. to edit an admin's progress message) */
  onProgress?: (job: BroadcastJob) => void | Promise<void>;
}

export class Broadcaster {
  readonly limiter: RateLimiter;
  private readonly batchSize: number;
  private readonly clock: Clock;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: BroadcasterOptions) {
    this.clock = options.clock ?? realClock;
    this.limiter = new RateLimiter(options.rate, this.clock);
    this.batchSize = options.batchSize ?? Math.max(1, Math.min(30, Math.round(options.rate)));
  }

  /** Persists a job (once per id) and makes sure it will be sent; resolves once it is on disk. */
  async enqueue(
    id: string,
    kind: BroadcastKind,
    html: string,
    recipients: number[],
    progress?: BroadcastJob['progress'],
  ): Promise<BroadcastJob> {
    const job = await this.options.broadcasts.create({ id, kind, html, recipients: [...new Set(recipients)], progress });
    this.start();
    return job;
  }

  /** Starts sending unfinished jobs (those left by a previous run too), if not already at it. */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      // a job queued while the loop was finishing
      if (!this.stopping && this.options.broadcasts.unfinished().length) this.start();
    });
  }

  /** Finishes the batch in flight, checkpoints, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Resolves when every queued job is done (for tests and the admin's progress). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    for (;;) {
      const job = this.options.broadcasts.unfinished()[0];
      if (!job || this.stopping) return;
      await this.run(job);
    }
  }

  private async run(job: BroadcastJob): Promise<void> {
    const { broadcasts, subscribers, logger } = this.options;
    if (job.status === 'pending') {
      job.status = 'running';
      await broadcasts.checkpoint();
    }
    const handled = new Set([...job.delivered, ...job.blocked, ...job.failed]);
    const pending = job.recipients.filter((id) => !handled.has(id));
    logger.info(`broadcast ${job.id}: ${pending.length} of ${job.recipients.length} to send`);
    for (let i = 0; i < pending.length && !this.stopping; i += this.batchSize) {
      const batch = pending.slice(i, i + this.batchSize);
      const outcomes = await Promise.all(batch.map((chatId) => this.deliver(chatId, job.html)));
      const blocked: number[] = [];
      batch.forEach((chatId, k) => {
        const o = outcomes[k]!;
        if (o === 'delivered') job.delivered.push(chatId);
        else if (o === 'blocked') {
          job.blocked.push(chatId);
          blocked.push(chatId);
        } else job.failed.push(chatId);
      });
      await broadcasts.checkpoint();
      await subscribers.markBlocked(blocked);
      await this.progress(job);
    }
    if (this.stopping) return;
    job.status = 'done';
    job.finishedAt = new Date(this.clock.now()).toISOString();
    await broadcasts.checkpoint();
    await this.progress(job);
    logger.info(`broadcast ${job.id}: done, ${job.delivered.length} delivered, ${job.blocked.length} blocked, ${job.failed.length} failed`);
  }

  private async progress(job: BroadcastJob): Promise<void> {
    try {
      await this.options.onProgress?.(job);
    } catch (err) {
      this.options.logger.warn(`broadcast ${job.id}: progress not shown: ${(err as Error).message}`);
    }
  }

  /** Sends one message with retries; never throws. */
  private async deliver(chatId: number, html: string): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(chatId);
      try {
        await this.options.send(chatId, html);
        return 'delivered';
      } catch (err) {
        const verdict = classify(err);
        if (verdict === 'blocked') return 'blocked';
        if (verdict === 'fatal') {
          this.options.logger.warn(`broadcast to ${chatId} failed: ${(err as Error).message}`);
          return 'failed';
        }
        if (typeof verdict === 'object') {
          this.limiter.pause(verdict.retryAfterMs);
          continue;
        } // 429: not an attempt lost
        if (attempt >= MAX_ATTEMPTS) {
          this.options.logger.warn(`broadcast to ${chatId} failed after ${attempt} attempts: ${(err as Error).message}`);
          return 'failed';
        }
        await this.clock.sleep(BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)]!);
      }
    }
  }
}
