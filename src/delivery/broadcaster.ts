/**
 * Sends broadcast jobs in batches: each batch goes out concurrently under the shared rate limiter
 * (in its broadcast lane, behind replies to people), then the job's progress is written once. After
 * a crash or a stop the job resumes from its last checkpoint: nobody is skipped, and only the batch
 * in flight can be sent twice.
 *
 * A message is worth sending until its job expires (a reminder until its session starts; anything
 * else 24 hours after it was queued), and the broadcaster keeps trying until then:
 * - 429: wait retry_after (all sending pauses), then the same message again;
 * - no answer, or a 5xx: the same message again after a backoff that doubles up to a cap, for as
 *   long as the outage lasts. A chat that keeps failing while others are reached waits for a later
 *   round of its job, so it never holds up the rest;
 * - 403 and "chat not found": the chat is marked blocked (its subscription paused);
 * - any other 400: Telegram refuses the message itself; the chat is counted as failed.
 * Recipients still unreached when the job expires are counted as failed; an admin can send the job
 * again to the chats that failed (`resend`).
 *
 * With `claims` (several workers on one PostgreSQL database), the workers split each job: a worker
 * claims a batch of recipients nobody holds, sends it as above and records each outcome (see
 * cluster/claims.ts), so a recipient is sent once whichever worker sends it.
 */
import { setMaxListeners } from 'node:events';
import { type ClaimSender, type Claims, type Outcome, sendClaimed } from '../cluster/claims.js';
import type { Logger } from '../logger.js';
import type { BroadcastJob, BroadcastKind } from '../store/broadcasts.js';
import type { BroadcastStore, SubscriberStore } from '../store/types.js';
import { RateLimiter, realClock, type Clock } from './rate-limiter.js';
import { classify } from './telegram-errors.js';

export { classify } from './telegram-errors.js';

/** Sends one HTML message; throws telegraf's errors (`code`, `description`, `parameters.retry_after`). */
export type SendMessage = (chatId: number, html: string) => Promise<unknown>;

/** How long a message other than a reminder is worth sending. */
export const LIFETIME_MS = 24 * 3600_000;
const BACKOFF = { firstMs: 500, maxMs: 10_000 };
/** Failed attempts at one chat, while messages to other chats got through, before it waits for a later round. */
const STRIKES = 6;
/** On stop, how long sends already made may take to be confirmed. */
const STOP_GRACE_MS = 2000;

export interface BroadcasterOptions {
  broadcasts: BroadcastStore;
  subscribers: SubscriberStore;
  send: SendMessage;
  logger: Logger;
  /** the limiter every message of the bot goes through; without one, a limiter of its own at `rate` */
  limiter?: RateLimiter;
  /** messages a second, for a limiter of its own */
  rate?: number;
  /** messages sent concurrently before a checkpoint; the most that can go out twice after a crash */
  batchSize?: number;
  clock?: Clock;
  /** the wait after a network error or 5xx, doubled at each attempt up to `maxMs` */
  backoff?: { firstMs: number; maxMs: number };
  /** on stop, how long sends already made may take to be confirmed before they are left to the next start */
  stopGraceMs?: number;
  /** called after every checkpoint (e.g. to edit an admin's progress message) */
  onProgress?: (job: BroadcastJob) => void | Promise<void>;
  /** several workers on one database: jobs are split between them by claiming batches of recipients */
  claims?: Claims;
}

export interface EnqueueOptions {
  /** an admin's message that shows the progress */
  progress?: BroadcastJob['progress'];
  /** after this the message is no longer worth sending (default: 24 hours from now) */
  expiresAt?: Date;
}

/** What is still to be sent. */
export interface Waiting {
  jobs: number;
  recipients: number;
}

class Stopped extends Error {
  constructor() {
    super('the broadcaster is stopping');
  }
}

export class Broadcaster {
  readonly limiter: RateLimiter;
  private readonly batchSize: number;
  private readonly clock: Clock;
  private readonly backoff: { firstMs: number; maxMs: number };
  private running?: Promise<void>;
  private stopping = false;
  /** aborts every wait (for the limiter, a backoff, a later round) */
  private readonly stopSignal = new AbortController();
  /** abandons the sends still unconfirmed when the stop's grace period ends */
  private readonly abandonSignal = new AbortController();
  /** jobs whose remaining recipients wait for a later round: when, and how many rounds so far */
  private readonly later = new Map<string, { at: number; rounds: number }>();
  private lastDelivered = -Infinity;
  private unreachableSince?: number;
  private wake?: () => void;

  constructor(private readonly options: BroadcasterOptions) {
    this.clock = options.clock ?? realClock;
    if (!options.limiter && options.rate === undefined) throw new Error('broadcaster: a limiter or a rate is needed');
    this.limiter = options.limiter ?? new RateLimiter(options.rate!, this.clock);
    this.batchSize = options.batchSize ?? Math.max(1, Math.min(30, Math.round(this.limiter.perSecond)));
    this.backoff = options.backoff ?? BACKOFF;
    // every send of a batch listens for the stop
    setMaxListeners(0, this.stopSignal.signal, this.abandonSignal.signal);
  }

  /** Persists a job (once per id) and makes sure it will be sent; resolves once it is on disk. */
  async enqueue(id: string, kind: BroadcastKind, html: string, recipients: number[], options: EnqueueOptions = {}): Promise<BroadcastJob> {
    const expiresAt = options.expiresAt ?? new Date(this.clock.now() + LIFETIME_MS);
    const job = await this.options.broadcasts.create({
      id,
      kind,
      html,
      recipients: [...new Set(recipients)],
      progress: options.progress,
      expiresAt: expiresAt.toISOString(),
    });
    this.options.claims?.queued();
    this.start();
    return job;
  }

  /** Starts sending unfinished jobs (those left by a previous run too), if not already at it. */
  start(): void {
    if (this.stopping) return;
    if (this.running) {
      this.wake?.();
      return;
    }
    this.running = this.loop().finally(async () => {
      this.running = undefined;
      // a job queued while the loop was finishing
      const more = await (this.options.claims ?? this.options.broadcasts).unfinished().then(
        (jobs) => jobs.length > 0,
        () => false,
      );
      if (!this.stopping && more) this.start();
    });
  }

  /**
   * Stops: no new message leaves, sends already made get a short grace period to be confirmed, the
   * progress is written, and every unfinished job stays as it is, to be resumed by the next start.
   */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopSignal.abort(new Stopped());
      this.wake?.();
    }
    // in real time: it bounds how long a stop takes, whatever clock paces the messages
    const grace = setTimeout(() => this.abandonSignal.abort(new Stopped()), this.options.stopGraceMs ?? STOP_GRACE_MS);
    grace.unref();
    try {
      await this.running;
    } finally {
      clearTimeout(grace);
    }
  }

  /** Resolves when every queued job is done (for tests and the admin's progress). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Unfinished jobs and the recipients they have yet to reach. */
  async waiting(): Promise<Waiting> {
    if (this.options.claims) return this.options.claims.waiting();
    const jobs = await this.options.broadcasts.unfinished();
    return { jobs: jobs.length, recipients: jobs.reduce((n, j) => n + pendingOf(j).length, 0) };
  }

  /**
   * Sends a finished job's message again to the chats it failed to reach that are still
   * subscribed, as a new job (one per job resent: asking twice queues it once). Returns the new job,
   * or why not.
   */
  async resend(
    id: string,
    options: { progress?: BroadcastJob['progress'] } = {},
  ): Promise<{ job: BroadcastJob } | { refused: 'unknown' | 'running' | 'resent' | 'none' | 'expired' }> {
    const { broadcasts, subscribers, logger } = this.options;
    const source = await broadcasts.get(id);
    if (!source) return { refused: 'unknown' };
    if (source.status !== 'done') return { refused: 'running' };
    const resendId = `${source.id}/resend`;
    if (await broadcasts.get(resendId)) return { refused: 'resent' };
    const active = new Set(await subscribers.recipients());
    const again = source.failed.filter((chatId) => active.has(chatId));
    if (!again.length) return { refused: 'none' };
    // a reminder is worth sending until its session starts, however often it is sent
    const expiresAt = source.kind === 'reminder' ? new Date(this.expiry(source)) : undefined;
    if (expiresAt && expiresAt.getTime() <= this.clock.now()) return { refused: 'expired' };
    const job = await broadcasts.create({
      id: resendId,
      kind: source.kind,
      html: source.html,
      recipients: again,
      progress: options.progress,
      expiresAt: (expiresAt ?? new Date(this.clock.now() + LIFETIME_MS)).toISOString(),
      resendOf: source.id,
    });
    logger.info(`broadcast ${source.id}: sending again to ${again.length} chats that failed, as ${resendId}`);
    this.options.claims?.queued();
    this.start();
    return { job };
  }

  /** Finished jobs with chats that failed and have not been sent the message again, newest first. */
  async failedJobs(): Promise<BroadcastJob[]> {
    const jobs = await this.options.broadcasts.all();
    const resent = new Set(jobs.map((j) => j.resendOf).filter((id) => id !== undefined));
    return jobs.filter((j) => j.status === 'done' && j.failed.length && !resent.has(j.id)).reverse();
  }

  private async loop(): Promise<void> {
    if (this.options.claims) return sendClaimed(this.options.claims, this.claimSender());
    for (;;) {
      if (this.stopping) return;
      let jobs: BroadcastJob[];
      try {
        jobs = await this.options.broadcasts.unfinished();
      } catch (err) {
        // the store did not answer (a database out of reach): asked again after a backoff
        this.options.logger.error('broadcast: the unfinished jobs could not be read; trying again', err);
        await this.rest(this.backoff.maxMs);
        continue;
      }
      if (!jobs.length) return;
      const now = this.clock.now();
      const job = jobs.find((j) => (this.later.get(j.id)?.at ?? -Infinity) <= now);
      if (!job) {
        const at = Math.min(...jobs.map((j) => this.later.get(j.id)?.at ?? now));
        await this.rest(at - now, true);
        continue;
      }
      try {
        await this.run(job);
      } catch (err) {
        // the store could not write: the recipients stay pending, and the job is tried again later
        this.options.logger.error(`broadcast ${job.id}: progress not saved, trying again later`, err);
        this.putOff(job);
      }
    }
  }

  /** One round of a job: every recipient not yet handled, batch by batch. */
  private async run(job: BroadcastJob): Promise<void> {
    const { broadcasts, subscribers, logger } = this.options;
    if (job.status === 'pending') {
      job.status = 'running';
      await broadcasts.checkpoint();
    }
    const expiry = this.expiry(job);
    let pending = pendingOf(job);
    if (pending.length && this.clock.now() >= expiry) {
      logger.warn(`broadcast ${job.id}: expired with ${pending.length} of ${job.recipients.length} not reached; counted as failed`);
      job.failed.push(...pending);
      pending = [];
    }
    if (pending.length) logger.info(`broadcast ${job.id}: ${pending.length} of ${job.recipients.length} to send`);
    for (let i = 0; i < pending.length && !this.stopping; i += this.batchSize) {
      const batch = pending.slice(i, i + this.batchSize);
      const outcomes = await Promise.all(batch.map((chatId) => this.deliver(chatId, job.html, expiry)));
      const blocked: number[] = [];
      batch.forEach((chatId, k) => {
        const o = outcomes[k]!;
        if (o === 'delivered') job.delivered.push(chatId);
        else if (o === 'blocked') {
          job.blocked.push(chatId);
          blocked.push(chatId);
        } else if (o === 'failed') job.failed.push(chatId);
        // 'later' and 'stopped' stay pending
      });
      await broadcasts.checkpoint();
      await subscribers.markBlocked(blocked);
      if (!this.stopping) await this.progress(job); // a stop waits for no edit (the API may be gone)
    }
    if (this.stopping) return;
    const left = pendingOf(job).length;
    if (left) {
      const at = this.putOff(job);
      logger.info(
        `broadcast ${job.id}: ${left} chats not reached yet; trying them again in ${Math.round((at - this.clock.now()) / 1000)} s`,
      );
      return;
    }
    this.later.delete(job.id);
    job.status = 'done';
    job.finishedAt = new Date(this.clock.now()).toISOString();
    await broadcasts.checkpoint();
    await this.progress(job);
    logger.info(`broadcast ${job.id}: done, ${job.delivered.length} delivered, ${job.blocked.length} blocked, ${job.failed.length} failed`);
  }

  /** What the claim loop (several workers on one database) uses of this broadcaster. */
  private claimSender(): ClaimSender {
    return {
      batchSize: this.batchSize,
      logger: this.options.logger,
      backoff: this.backoff,
      stopping: () => this.stopping,
      deliver: (chatId, html, expiry) => this.deliver(chatId, html, expiry),
      rest: (ms) => this.rest(ms, true),
      progress: (job) => this.progress(job),
      markBlocked: (chatIds) => this.options.subscribers.markBlocked(chatIds),
      expiry: (job) => this.expiry(job),
    };
  }

  /** When a job is no longer worth sending (a job queued without an expiry: 24 hours after it was). */
  private expiry(job: Pick<BroadcastJob, 'expiresAt' | 'createdAt'>): number {
    return job.expiresAt ? Date.parse(job.expiresAt) : Date.parse(job.createdAt) + LIFETIME_MS;
  }

  /** Sets a job's next round, later each time (but not after it expires); returns when. */
  private putOff(job: BroadcastJob): number {
    const rounds = (this.later.get(job.id)?.rounds ?? 0) + 1;
    const now = this.clock.now();
    const delay = Math.min(this.backoff.firstMs * 2 ** rounds, 6 * this.backoff.maxMs);
    const at = Math.max(now, Math.min(now + delay, this.expiry(job)));
    this.later.set(job.id, { at, rounds });
    return at;
  }

  private async progress(job: BroadcastJob): Promise<void> {
    try {
      await this.options.onProgress?.(job);
    } catch (err) {
      this.options.logger.warn(`broadcast ${job.id}: progress not shown: ${(err as Error).message}`);
    }
  }

  /** Sends one message, trying again while it is worth it; never throws. */
  private async deliver(chatId: number, html: string, expiry: number): Promise<Outcome> {
    const { logger } = this.options;
    let wait = this.backoff.firstMs;
    let strikes = 0;
    let firstFailure: number | undefined;
    for (;;) {
      if (this.stopping) return 'stopped';
      if (this.clock.now() >= expiry) return 'failed';
      try {
        await this.limiter.acquire(chatId, { lane: 'broadcast', signal: this.stopSignal.signal });
      } catch {
        return 'stopped';
      }
      const startedAt = this.clock.now();
      let error: unknown;
      try {
        await this.unlessAbandoned(this.options.send(chatId, html));
        this.reached();
        return 'delivered';
      } catch (err) {
        if (err instanceof Stopped) return 'stopped';
        error = err;
      }
      const verdict = classify(error);
      if (verdict === 'blocked') return 'blocked';
      if (verdict === 'fatal') {
        logger.warn(`broadcast to ${chatId} refused: ${(error as Error).message}`);
        return 'failed';
      }
      if (typeof verdict === 'object') {
        this.limiter.pause(verdict.retryAfterMs); // not an attempt lost
        continue;
      }
      if (this.unreachableSince === undefined) {
        this.unreachableSince = startedAt;
        logger.warn(`broadcast: Telegram did not take a message (${(error as Error).message}); trying again until it does`);
      }
      // others got through since this chat first failed: the trouble is this chat's, not the connection's
      firstFailure ??= startedAt;
      if (++strikes >= STRIKES && this.lastDelivered >= firstFailure) return 'later';
      await this.rest(wait);
      wait = Math.min(wait * 2, this.backoff.maxMs);
    }
  }

  private reached(): void {
    const now = this.clock.now();
    this.lastDelivered = now;
    if (this.unreachableSince !== undefined) {
      this.options.logger.info(`broadcast: Telegram takes messages again (${Math.round((now - this.unreachableSince) / 1000)} s without)`);
      this.unreachableSince = undefined;
    }
  }

  /** The send's result, unless the stop's grace period ends first (then Stopped). */
  private unlessAbandoned<T>(send: Promise<T>): Promise<T> {
    const signal = this.abandonSignal.signal;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new Stopped());
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      send.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  /** Sleeps `ms`, or less if the broadcaster stops (or, when `wakeable`, a job is queued). */
  private rest(ms: number, wakeable = false): Promise<void> {
    const signal = this.stopSignal.signal;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        signal.removeEventListener('abort', done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      if (wakeable) this.wake = done;
      void this.clock.sleep(ms).then(done);
    });
  }
}

/** The recipients a job has not handled yet. */
function pendingOf(job: BroadcastJob): number[] {
  const handled = new Set([...job.delivered, ...job.blocked, ...job.failed]);
  return job.recipients.filter((id) => !handled.has(id));
}
