/**
 * Broadcast jobs in PostgreSQL: a row per job, a row per recipient with its status (pending,
 * delivered, blocked, failed).
 *
 * As with the embedded store, the unfinished jobs this process handed out are its own objects: the
 * broadcaster adds chats to their lists and sets their status, and `checkpoint()` writes what
 * changed since the last one, in one transaction: the chats handled since (one UPDATE per outcome),
 * and the job's fields when they changed. The order of each outcome list is kept in `outcome_seq`:
 * a number from a sequence per checkpoint, then the chat's place in what the checkpoint added.
 */
import type { Logger } from '../../logger.js';
import { type BroadcastJob, type BroadcastKind, type BroadcastSummary, countOnly, type NewBroadcastJob, summarise } from '../broadcasts.js';
import type { BroadcastStore } from '../types.js';
import { inTransaction, type Pool, type PoolClient } from './pool.js';

type Outcome = 'delivered' | 'blocked' | 'failed';
/** outcome_seq is a checkpoint's number times this, plus the chat's place in what that checkpoint added */
const ORDER_SPAN = 2 ** 32;
const OUTCOMES: Outcome[] = ['delivered', 'blocked', 'failed'];

interface JobRow {
  id: string;
  kind: BroadcastKind;
  html: string;
  created_at: Date;
  status: BroadcastJob['status'];
  finished_at: Date | null;
  expires_at: Date | null;
  resend_of: string | null;
  progress_chat_id: number | null;
  progress_message_id: number | null;
}

interface Imported {
  imported_recipients: number;
  imported_delivered: number;
  imported_blocked: number;
}

interface CountRow {
  broadcast_id: string;
  recipients: number;
  delivered: number;
  blocked: number;
  failed_ids: number[] | null;
}

const JOB_COLUMNS =
  'b.id, b.kind, b.html, b.created_at, b.status, b.finished_at, b.expires_at, b.resend_of, b.progress_chat_id, b.progress_message_id';

/** What the database holds of an unfinished job this process handed out. */
interface Saved {
  fields: string;
  status: BroadcastJob['status'];
  lists: Record<Outcome, { list: number[]; length: number }>;
}

const fieldsOf = (job: BroadcastJob) => JSON.stringify([job.expiresAt, job.finishedAt, job.progress, job.html, job.resendOf, job.status]);

function snapshot(job: BroadcastJob): Saved {
  const lists = {} as Saved['lists'];
  for (const o of OUTCOMES) lists[o] = { list: job[o], length: job[o].length };
  return { fields: fieldsOf(job), status: job.status, lists };
}

function fieldsFrom(r: JobRow): Omit<BroadcastJob, 'recipients' | 'delivered' | 'blocked' | 'failed'> {
  return {
    id: r.id,
    kind: r.kind,
    html: r.html,
    createdAt: r.created_at.toISOString(),
    status: r.status,
    ...(r.finished_at ? { finishedAt: r.finished_at.toISOString() } : {}),
    ...(r.progress_chat_id !== null && r.progress_message_id !== null
      ? { progress: { chatId: r.progress_chat_id, messageId: r.progress_message_id } }
      : {}),
    ...(r.expires_at ? { expiresAt: r.expires_at.toISOString() } : {}),
    ...(r.resend_of ? { resendOf: r.resend_of } : {}),
  };
}

export class PgBroadcasts implements BroadcastStore {
  /** unfinished jobs handed out, by id, with what the database holds of each */
  private readonly live = new Map<string, { job: BroadcastJob; saved: Saved }>();
  /** finished jobs as counts, by id */
  private readonly finished = new Map<string, { job: BroadcastJob; summary: BroadcastSummary }>();
  /** checkpoints, one at a time */
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  async get(id: string): Promise<BroadcastJob | undefined> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM broadcasts b WHERE b.id = $1`, [id]);
    const row = rows[0];
    const cached = this.live.get(id);
    // finished elsewhere (another worker, or this one's claims): what the database says
    if (row?.status === 'done' && cached?.job.status !== 'done') this.live.delete(id);
    else if (cached) return cached.job;
    if (!row) return undefined;
    if (row.status === 'done') return (await this.counted(`WHERE b.id = $1`, [id]))[0]!.job;
    return this.adopt(await this.load(this.pool, row));
  }

  async create(job: NewBroadcastJob): Promise<BroadcastJob> {
    const cached = this.live.get(job.id);
    if (cached) return cached.job;
    const createdAt = job.createdAt ?? new Date().toISOString();
    const recipients = [...new Set(job.recipients)];
    const inserted = await inTransaction(this.pool, async (client) => {
      // a job with this id queued meanwhile (here or by another process): that one stands
      const { rowCount } = await client.query(
        `INSERT INTO broadcasts (id, kind, html, created_at, status, expires_at, resend_of, progress_chat_id, progress_message_id)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [
          job.id,
          job.kind,
          job.html,
          createdAt,
          job.expiresAt ?? null,
          job.resendOf ?? null,
          job.progress?.chatId ?? null,
          job.progress?.messageId ?? null,
        ],
      );
      if (!rowCount) return false;
      await client.query(
        `INSERT INTO broadcast_recipients (broadcast_id, chat_id, position)
         SELECT $1, u.chat_id, u.position FROM unnest($2::bigint[]) WITH ORDINALITY AS u(chat_id, position)`,
        [job.id, recipients],
      );
      return true;
    });
    if (!inserted) return (await this.get(job.id))!;
    const stored: BroadcastJob = {
      ...job,
      createdAt: new Date(createdAt).toISOString(),
      recipients,
      status: 'pending',
      delivered: [],
      blocked: [],
      failed: [],
    };
    // asked twice at once in this process: the first one's object
    return this.live.get(job.id)?.job ?? this.adopt(stored);
  }

  checkpoint(): Promise<void> {
    this.chain = this.chain
      .then(() => this.writeProgress())
      .catch((err: Error) => {
        if (this.failures++ === 0)
          this.logger.error(
            'store: broadcast progress not written to PostgreSQL; sending goes on, the progress is kept in memory and written with the next checkpoint',
            err,
          );
      });
    return this.chain;
  }

  async unfinished(): Promise<BroadcastJob[]> {
    const { rows } = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM broadcasts b WHERE b.status <> 'done' ORDER BY b.position`);
    const ids = new Set(rows.map((r) => r.id));
    // finished meanwhile by another process
    for (const [id, { job }] of this.live) if (!ids.has(id) && job.status !== 'done') this.live.delete(id);
    const out: BroadcastJob[] = [];
    for (const row of rows) {
      const job = this.live.get(row.id)?.job ?? this.adopt(await this.load(this.pool, row));
      if (job.status !== 'done') out.push(job);
    }
    return out;
  }

  async all(): Promise<BroadcastJob[]> {
    const counted = await this.counted('', []);
    const out: BroadcastJob[] = [];
    for (const { row, job } of counted) {
      const cached = this.live.get(row.id);
      if (cached && row.status === 'done' && cached.job.status !== 'done')
        this.live.delete(row.id); // finished elsewhere
      else if (cached && this.untouched(cached)) {
        // sent elsewhere (claims): the database's lists, the handed-out object left as it is
        out.push(await this.load(this.pool, row));
        continue;
      } else if (cached) {
        out.push(cached.job);
        continue;
      }
      if (row.status === 'done') out.push(job);
      else out.push(this.adopt(await this.load(this.pool, row)));
    }
    return out;
  }

  async summaries(): Promise<BroadcastSummary[]> {
    const counted = await this.counted('', []);
    return counted.map(({ row, summary }) => {
      const cached = this.live.get(row.id);
      // a job changed here and not yet written is as this process has it; otherwise as the database has it
      return cached && !this.untouched(cached) ? { ...summarise(cached.job), status: cached.job.status } : summary;
    });
  }

  /** Whether a job handed out is as it was loaded or last written (nothing of it waits to be written). */
  private untouched({ job, saved }: { job: BroadcastJob; saved: Saved }): boolean {
    return (
      fieldsOf(job) === saved.fields && OUTCOMES.every((o) => saved.lists[o].list === job[o] && job[o].length === saved.lists[o].length)
    );
  }

  async close(): Promise<void> {
    await this.checkpoint();
  }

  private adopt(job: BroadcastJob): BroadcastJob {
    this.live.set(job.id, { job, saved: snapshot(job) });
    return job;
  }

  /** An unfinished job with its lists. */
  private async load(client: Pool | PoolClient, row: JobRow): Promise<BroadcastJob> {
    const { rows } = await client.query<{ chat_id: number; status: 'pending' | Outcome; outcome_seq: number | null; position: number }>(
      'SELECT chat_id, status, outcome_seq, position FROM broadcast_recipients WHERE broadcast_id = $1 ORDER BY position',
      [row.id],
    );
    const job: BroadcastJob = { ...fieldsFrom(row), recipients: rows.map((r) => r.chat_id), delivered: [], blocked: [], failed: [] };
    const handled = rows
      .filter((r) => r.status !== 'pending')
      .sort((a, b) => (a.outcome_seq ?? 0) - (b.outcome_seq ?? 0) || a.position - b.position);
    for (const r of handled) job[r.status as Outcome].push(r.chat_id);
    return job;
  }

  /**
   * Jobs with their counts, oldest first: as a job with counts only (a finished one), and as a
   * summary. A finished job no longer changes: it is counted once, then kept here.
   */
  private async counted(where: string, params: unknown[]): Promise<Array<{ row: JobRow; job: BroadcastJob; summary: BroadcastSummary }>> {
    const { rows } = await this.pool.query<JobRow & Imported>(
      `SELECT ${JOB_COLUMNS}, b.imported_recipients, b.imported_delivered, b.imported_blocked
       FROM broadcasts b ${where} ORDER BY b.position`,
      params,
    );
    const uncounted = rows.filter((r) => !(r.status === 'done' && this.finished.has(r.id))).map((r) => r.id);
    const counts = new Map<string, CountRow>();
    if (uncounted.length) {
      const { rows: counted } = await this.pool.query<CountRow>(
        `SELECT broadcast_id,
           count(*) AS recipients,
           count(*) FILTER (WHERE status = 'delivered') AS delivered,
           count(*) FILTER (WHERE status = 'blocked') AS blocked,
           array_agg(chat_id ORDER BY outcome_seq, position) FILTER (WHERE status = 'failed') AS failed_ids
         FROM broadcast_recipients WHERE broadcast_id = ANY ($1::text[]) GROUP BY broadcast_id`,
        [uncounted],
      );
      for (const c of counted) counts.set(c.broadcast_id, c);
    }
    return rows.map((row) => {
      const known = row.status === 'done' ? this.finished.get(row.id) : undefined;
      if (known) return { row, ...known };
      const c = counts.get(row.id);
      const fields = fieldsFrom(row);
      const failed = c?.failed_ids ?? [];
      const n = {
        recipients: row.imported_recipients + (c?.recipients ?? 0),
        delivered: row.imported_delivered + (c?.delivered ?? 0),
        blocked: row.imported_blocked + (c?.blocked ?? 0),
        failed: failed.length,
      };
      const job: BroadcastJob = {
        ...fields,
        recipients: countOnly(n.recipients),
        delivered: countOnly(n.delivered),
        blocked: countOnly(n.blocked),
        failed,
      };
      const out = { job, summary: { ...fields, counts: n, failed: [...failed] } };
      if (row.status === 'done') this.finished.set(row.id, out);
      return { row, ...out };
    });
  }

  /** Writes the changes to the jobs handed out; finished ones are then let go. */
  private async writeProgress(): Promise<void> {
    const changed = [...this.live.values()].filter(({ job, saved }) => {
      if (fieldsOf(job) !== saved.fields) return true;
      return OUTCOMES.some((o) => saved.lists[o].list !== job[o] || job[o].length !== saved.lists[o].length);
    });
    if (!changed.length) return;
    const after = new Map<string, Saved>();
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ seq: number }>(`SELECT nextval('broadcast_outcome_seq') AS seq`);
      const seq = rows[0]!.seq;
      for (const { job, saved } of changed) {
        const now = snapshot(job);
        // a list replaced or shortened (not what the broadcaster does): the job's outcomes written afresh
        const rewrite = OUTCOMES.some((o) => saved.lists[o].list !== job[o] || job[o].length < saved.lists[o].length);
        if (rewrite) {
          await client.query(`UPDATE broadcast_recipients SET status = 'pending', outcome_seq = NULL WHERE broadcast_id = $1`, [job.id]);
        }
        for (const o of OUTCOMES) {
          const added = job[o].slice(rewrite ? 0 : saved.lists[o].length, now.lists[o].length);
          if (!added.length) continue;
          await client.query(
            `UPDATE broadcast_recipients r
             SET status = $3, outcome_seq = $4::bigint * ${ORDER_SPAN} + u.ord, updated_at = now(), claimed_by = NULL, lease_until = NULL
             FROM unnest($2::bigint[]) WITH ORDINALITY AS u(chat_id, ord)
             WHERE r.broadcast_id = $1 AND r.chat_id = u.chat_id`,
            [job.id, added, o, seq],
          );
        }
        if (now.fields !== saved.fields) {
          await client.query(
            `UPDATE broadcasts SET status = $2, finished_at = $3, expires_at = $4, html = $5, resend_of = $6,
               progress_chat_id = $7, progress_message_id = $8
             WHERE id = $1`,
            [
              job.id,
              job.status,
              job.finishedAt ?? null,
              job.expiresAt ?? null,
              job.html,
              job.resendOf ?? null,
              job.progress?.chatId ?? null,
              job.progress?.messageId ?? null,
            ],
          );
        }
        after.set(job.id, now);
      }
    });
    if (this.failures) this.logger.info(`store: broadcast progress written again after ${this.failures} failed attempt(s)`);
    this.failures = 0;
    for (const [id, saved] of after) {
      const entry = this.live.get(id);
      if (!entry) continue;
      if (entry.job.status === 'done' && saved.status === 'done') this.live.delete(id);
      else entry.saved = saved;
    }
  }
}
