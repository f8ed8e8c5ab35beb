/**
 * A broadcast split between the workers on one database, never doubled: each worker claims a batch
 * of a running job's recipients, sends it, and records each recipient's outcome.
 *
 * A claim is one statement: `SELECT … FOR UPDATE SKIP LOCKED` picks the job's next pending
 * recipients that nobody holds (or whose holder's lease has passed), skipping rows another worker is
 * claiming at that very moment instead of waiting for it, and the same statement sets `claimed_by`
 * and `lease_until` on them. Two workers claiming together therefore get different recipients, and
 * neither waits for the other. The lease is renewed while the batch is being sent (a 429 or an
 * outage may hold it for minutes); a worker killed mid-batch stops renewing, and its batch is
 * claimed again once the lease passes. That batch is the most that can arrive twice.
 *
 * SKIP LOCKED rather than a job queue library (pg-boss, graphile-worker): the recipients already
 * are rows with a status, a broadcast is one job with thousands of small parts, and the claim is
 * one statement over the store's own table; a library would keep a second copy of the same state.
 *
 * A recipient's outcome is a fact, written whoever holds it now: delivered, blocked (403, "chat not
 * found") or failed (another 400, or still unreached when the job expires). A chat that keeps failing
 * while others are reached is released with a lease in the future, so that it is tried again later
 * (by any worker) without holding the others up. The worker that records the last outcome of a job
 * finishes it (`finish` is true for one worker only) and shows the final progress.
 */
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { BroadcastJob, BroadcastKind } from '../store/broadcasts.js';

/** How long a claim holds its recipients without being renewed. */
export const LEASE_MS = 10_000;
/** outcome_seq is a write's number times this, plus the chat's place in what that write recorded */
const ORDER_SPAN = 2 ** 32;

export type Settled = 'delivered' | 'blocked' | 'failed';

/** A job as the claims see it: its message and its counts, read from the database. */
export interface ClaimedJob {
  id: string;
  kind: BroadcastKind;
  html: string;
  createdAt: string;
  status: 'pending' | 'running' | 'done';
  expiresAt?: string;
  finishedAt?: string;
  progress?: { chatId: number; messageId: number };
  resendOf?: string;
}

export interface JobCounts {
  recipients: number;
  delivered: number;
  blocked: number;
  failed: number;
  /** not yet handled, held by a worker or not */
  pending: number;
  /** when the next pending recipient may be claimed (now, or when a lease passes); undefined: none pending */
  nextClaimAt?: number;
}

interface JobRow {
  id: string;
  kind: BroadcastKind;
  html: string;
  created_at: Date;
  status: ClaimedJob['status'];
  expires_at: Date | null;
  finished_at: Date | null;
  progress_chat_id: string | number | null;
  progress_message_id: string | number | null;
  resend_of: string | null;
}

const JOB_COLUMNS = 'id, kind, html, created_at, status, expires_at, finished_at, progress_chat_id, progress_message_id, resend_of';

function jobOf(row: JobRow): ClaimedJob {
  return {
    id: row.id,
    kind: row.kind,
    html: row.html,
    createdAt: row.created_at.toISOString(),
    status: row.status,
    ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.progress_chat_id !== null && row.progress_message_id !== null
      ? { progress: { chatId: Number(row.progress_chat_id), messageId: Number(row.progress_message_id) } }
      : {}),
    ...(row.resend_of ? { resendOf: row.resend_of } : {}),
  };
}

/** A list with a length but no items. */
function countOnly(length: number): number[] {
  return new Proxy<number[]>([], { get: (target, key, receiver) => (key === 'length' ? length : Reflect.get(target, key, receiver)) });
}

/** The job with its counts, shaped as the broadcaster's progress callback takes it. */
export function jobView(job: ClaimedJob, counts: JobCounts): BroadcastJob {
  return {
    ...job,
    recipients: countOnly(counts.recipients),
    delivered: countOnly(counts.delivered),
    blocked: countOnly(counts.blocked),
    failed: countOnly(counts.failed),
  };
}

export interface ClaimsOptions {
  pool: pg.Pool;
  /** this worker's id, written into claimed_by */
  worker: string;
  logger: Logger;
  /** how long a claim holds without renewal (default LEASE_MS) */
  leaseMs?: number;
  /** a job was queued here: tells the other workers (they join in sending it) */
  onQueued?: () => void;
}

export class Claims {
  readonly worker: string;
  readonly leaseMs: number;

  constructor(private readonly options: ClaimsOptions) {
    this.worker = options.worker;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  private get pool(): pg.Pool {
    return this.options.pool;
  }

  /** A job was queued by this worker. */
  queued(): void {
    this.options.onQueued?.();
  }

  /** One job. */
  async job(jobId: string): Promise<ClaimedJob | undefined> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM broadcasts WHERE id = $1`, [jobId]);
    return rows[0] && jobOf(rows[0]);
  }

  /** Unfinished jobs, oldest first. */
  async unfinished(): Promise<ClaimedJob[]> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM broadcasts WHERE status <> 'done' ORDER BY position`);
    return rows.map(jobOf);
  }

  /** Marks a pending job running. */
  async begin(jobId: string): Promise<void> {
    await this.pool.query(`UPDATE broadcasts SET status = 'running' WHERE id = $1 AND status = 'pending'`, [jobId]);
  }

  /**
   * Claims up to `n` of the job's pending recipients that nobody holds (or whose lease passed), in
   * sending order; returns their chat ids (empty: none to claim now).
   */
  async claim(jobId: string, n: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ chat_id: string | number; position: number }>(
      `WITH free AS (
         SELECT chat_id FROM broadcast_recipients
         WHERE broadcast_id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= now())
         ORDER BY position
         LIMIT $3
         FOR UPDATE SKIP LOCKED
       )
       UPDATE broadcast_recipients r
       SET claimed_by = $2, lease_until = now() + make_interval(secs => $4::double precision / 1000)
       FROM free
       WHERE r.broadcast_id = $1 AND r.chat_id = free.chat_id
       RETURNING r.chat_id, r.position`,
      [jobId, this.worker, n, this.leaseMs],
    );
    return rows.sort((a, b) => a.position - b.position).map((r) => Number(r.chat_id));
  }

  /** Extends this worker's lease on recipients it still holds. */
  async renew(jobId: string, chatIds: number[]): Promise<void> {
    if (!chatIds.length) return;
    await this.pool.query(
      `UPDATE broadcast_recipients
       SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE broadcast_id = $1 AND chat_id = ANY($2::bigint[]) AND claimed_by = $3 AND status = 'pending'`,
      [jobId, chatIds, this.worker, this.leaseMs],
    );
  }

  /** Records outcomes (a recipient already settled, by another worker, stays as it is). */
  async settle(jobId: string, outcomes: Array<{ chatId: number; outcome: Settled }>): Promise<void> {
    if (!outcomes.length) return;
    // outcome_seq as the store writes it: a number per write, times 2^32, plus the place in the write
    await this.pool.query(
      `WITH s AS (SELECT nextval('broadcast_outcome_seq') AS seq)
       UPDATE broadcast_recipients r
       SET status = o.outcome, claimed_by = NULL, lease_until = NULL, updated_at = now(),
           outcome_seq = s.seq * ${ORDER_SPAN} + o.ord
       FROM s, unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS o(chat_id, outcome, ord)
       WHERE r.broadcast_id = $1 AND r.chat_id = o.chat_id AND r.status = 'pending'`,
      [jobId, outcomes.map((o) => o.chatId), outcomes.map((o) => o.outcome)],
    );
  }

  /** Gives recipients back unsent: to be claimed again at once, or not before `afterMs` from now. */
  async release(jobId: string, chatIds: number[], afterMs = 0): Promise<void> {
    if (!chatIds.length) return;
    await this.pool.query(
      `UPDATE broadcast_recipients
       SET claimed_by = NULL,
           lease_until = CASE WHEN $4::double precision > 0 THEN now() + make_interval(secs => $4::double precision / 1000) END
       WHERE broadcast_id = $1 AND chat_id = ANY($2::bigint[]) AND claimed_by = $3 AND status = 'pending'`,
      [jobId, chatIds, this.worker, afterMs],
    );
  }

  /** A job that expired: its pending recipients nobody holds are counted as failed. */
  async expire(jobId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH s AS (SELECT nextval('broadcast_outcome_seq') AS seq)
       UPDATE broadcast_recipients r
       SET status = 'failed', claimed_by = NULL, lease_until = NULL, updated_at = now(),
           outcome_seq = s.seq * ${ORDER_SPAN} + r.position
       FROM s
       WHERE r.broadcast_id = $1 AND r.status = 'pending' AND (r.lease_until IS NULL OR r.lease_until <= now() OR r.claimed_by IS NULL)`,
      [jobId],
    );
    return rowCount ?? 0;
  }

  /** Unfinished jobs and the recipients they have yet to reach, all workers together. */
  async waiting(): Promise<{ jobs: number; recipients: number }> {
    const { rows } = await this.pool.query<{ jobs: string; recipients: string }>(
      `SELECT count(*) AS jobs, COALESCE(sum(p.n), 0) AS recipients
       FROM broadcasts b
       LEFT JOIN LATERAL (SELECT count(*) AS n FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.status = 'pending') p ON true
       WHERE b.status <> 'done'`,
    );
    return { jobs: Number(rows[0]!.jobs), recipients: Number(rows[0]!.recipients) };
  }

  /** The job's counts, and when its next pending recipient may be claimed. */
  async counts(jobId: string): Promise<JobCounts> {
    const { rows } = await this.pool.query<{
      recipients: string;
      delivered: string;
      blocked: string;
      failed: string;
      pending: string;
      next_in_ms: number | null;
    }>(
      `SELECT count(*) AS recipients,
              count(*) FILTER (WHERE status = 'delivered') AS delivered,
              count(*) FILTER (WHERE status = 'blocked') AS blocked,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'pending') AS pending,
              GREATEST(0, extract(epoch FROM min(COALESCE(lease_until, now())) FILTER (WHERE status = 'pending') - now()) * 1000)
                AS next_in_ms
       FROM broadcast_recipients WHERE broadcast_id = $1`,
      [jobId],
    );
    const r = rows[0]!;
    return {
      recipients: Number(r.recipients),
      delivered: Number(r.delivered),
      blocked: Number(r.blocked),
      failed: Number(r.failed),
      pending: Number(r.pending),
      ...(r.next_in_ms === null ? {} : { nextClaimAt: Date.now() + Number(r.next_in_ms) }),
    };
  }

  /**
   * Finishes the job if no recipient is pending; true for the one worker that finished it (it
   * shows the final progress), false when one is pending or another worker finished it first.
   */
  async finish(jobId: string): Promise<ClaimedJob | undefined> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE broadcasts SET status = 'done', finished_at = now()
       WHERE id = $1 AND status <> 'done'
         AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = $1 AND status = 'pending')
       RETURNING ${JOB_COLUMNS}`,
      [jobId],
    );
    return rows[0] && jobOf(rows[0]);
  }
}

/**
 * What sending one message to a chat came to: delivered; blocked (the chat blocked the bot or is
 * gone); failed (Telegram refused it, or it was no longer worth sending); later (this chat kept
 * failing while others got through: a later round tries again); stopped (the broadcaster stopped first).
 */
export type Outcome = 'delivered' | 'blocked' | 'failed' | 'later' | 'stopped';

/** What the broadcaster lends the claim loop: its way of sending one message, and its state. */
export interface ClaimSender {
  batchSize: number;
  logger: Logger;
  backoff: { firstMs: number; maxMs: number };
  stopping(): boolean;
  /** sends one message, trying again while it is worth it; never throws */
  deliver(chatId: number, html: string, expiry: number): Promise<Outcome>;
  /** sleeps `ms`, or less when the broadcaster stops or a job is queued */
  rest(ms: number): Promise<void>;
  /** shows a job's progress (an admin's message); never throws */
  progress(job: BroadcastJob): Promise<void>;
  markBlocked(chatIds: number[]): Promise<void>;
  /** when a job is no longer worth sending */
  expiry(job: ClaimedJob): number;
}

/** The least and the most a worker with nothing to claim waits before looking again. */
const IDLE_MS = { least: 100, most: 5_000 };

/**
 * Sends every unfinished job's recipients this worker can claim, batch by batch, until no job is
 * left unfinished. A worker with nothing to claim while recipients are held by another waits for
 * their lease (looking again every few seconds), so that a batch left by a worker that died is sent.
 */
export async function sendClaimed(claims: Claims, sender: ClaimSender): Promise<void> {
  const rounds = new Map<string, number>();
  /** jobs whose progress this worker showed and another may finish: shown again once done, so the last word is the total */
  const shown = new Set<string>();
  let failing = false;
  for (;;) {
    if (sender.stopping()) return;
    let jobs: ClaimedJob[];
    try {
      jobs = await claims.unfinished();
    } catch (err) {
      if (!failing) sender.logger.error('broadcast: cannot read the jobs from the database; trying again every second', err);
      failing = true;
      await sender.rest(1000);
      continue;
    }
    if (failing) sender.logger.info('broadcast: the database answers again');
    failing = false;
    for (const id of shown) {
      if (jobs.some((j) => j.id === id)) continue;
      shown.delete(id);
      const done = await claims.job(id).catch(() => undefined);
      if (done?.status === 'done') await sender.progress(jobView(done, await claims.counts(id)));
    }
    if (!jobs.length) return;
    let sent = false;
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const job of jobs) {
      if (sender.stopping()) return;
      try {
        const round = await sendJob(claims, sender, job, rounds, shown);
        sent ||= round.sent;
        if (round.nextClaimAt !== undefined) wakeAt = Math.min(wakeAt, round.nextClaimAt);
      } catch (err) {
        sender.logger.error(`broadcast ${job.id}: the database did not take the progress; trying again`, err);
        wakeAt = Math.min(wakeAt, Date.now() + 1000);
      }
    }
    if (!sent) await sender.rest(Math.min(IDLE_MS.most, Math.max(IDLE_MS.least, wakeAt - Date.now())));
  }
}

/** One round of one job: batches claimed and sent until none is left to claim. */
async function sendJob(
  claims: Claims,
  sender: ClaimSender,
  job: ClaimedJob,
  rounds: Map<string, number>,
  shown: Set<string>,
): Promise<{ sent: boolean; nextClaimAt?: number }> {
  const { logger } = sender;
  if (job.status === 'pending') await claims.begin(job.id);
  const expiry = sender.expiry(job);
  let sent = false;
  if (Date.now() >= expiry) {
    const failed = await claims.expire(job.id);
    if (failed) logger.warn(`broadcast ${job.id}: expired with ${failed} chats not reached; counted as failed`);
  }
  while (Date.now() < expiry && !sender.stopping()) {
    const batch = await claims.claim(job.id, sender.batchSize);
    if (!batch.length) break;
    sent = true;
    // a batch held up by a 429 or an outage keeps its claim
    const renewal = setInterval(
      () => void claims.renew(job.id, batch).catch((err: Error) => logger.warn(`broadcast ${job.id}: lease not renewed (${err.message})`)),
      claims.leaseMs / 3,
    );
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(batch.map((chatId) => sender.deliver(chatId, job.html, expiry)));
    } finally {
      clearInterval(renewal);
    }
    const settled: Array<{ chatId: number; outcome: Settled }> = [];
    const stopped: number[] = [];
    const later: number[] = [];
    batch.forEach((chatId, k) => {
      const outcome = outcomes[k]!;
      if (outcome === 'delivered' || outcome === 'blocked' || outcome === 'failed') settled.push({ chatId, outcome });
      else if (outcome === 'later') later.push(chatId);
      else stopped.push(chatId);
    });
    await claims.settle(job.id, settled);
    await claims.release(job.id, stopped);
    if (later.length) {
      const n = (rounds.get(job.id) ?? 0) + 1;
      rounds.set(job.id, n);
      const delay = Math.min(sender.backoff.firstMs * 2 ** n, 6 * sender.backoff.maxMs, Math.max(0, expiry - Date.now()));
      await claims.release(job.id, later, delay);
      logger.info(`broadcast ${job.id}: ${later.length} chats not reached yet; trying them again in ${Math.round(delay / 1000)} s`);
    }
    await sender.markBlocked(settled.filter((s) => s.outcome === 'blocked').map((s) => s.chatId));
    if (job.progress && !sender.stopping()) {
      await sender.progress(jobView(job, await claims.counts(job.id)));
      shown.add(job.id);
    }
  }
  if (sender.stopping()) return { sent };
  const counts = await claims.counts(job.id);
  if (counts.pending) return { sent, nextClaimAt: counts.nextClaimAt };
  const done = await claims.finish(job.id);
  if (done) {
    rounds.delete(job.id);
    shown.delete(job.id);
    await sender.progress(jobView(done, counts));
    logger.info(`broadcast ${job.id}: done, ${counts.delivered} delivered, ${counts.blocked} blocked, ${counts.failed} failed`);
  }
  return { sent };
}
