/**
 * Copies an embedded store (the lowdb files of a DATA_DIR) into PostgreSQL, so that a bot that grew
 * up on the files moves to the database without losing a subscriber. One transaction: all of it or
 * nothing. Idempotent, so it can be run again (after an interruption, or to be sure):
 * - subscribers: each chat of the folder is written as the folder has it (topics, paused or not,
 *   since when); chats only the database has are left alone;
 * - announcements: added when missing;
 * - question counts: each counter (and each declined question's count) becomes the larger of the
 *   two, so that a second run adds nothing;
 * - broadcasts: a job already in the database is left as it is (workers may have progressed it);
 *   an unfinished one is copied with every recipient and what each got; a finished one with its
 *   counts and the chats it failed to reach (the folder keeps no more of it).
 * The folder is locked while it is read, so no bot process writes to it meanwhile.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { Broadcasts } from '../broadcasts.js';
import { Events } from '../events.js';
import { lockDataDir } from '../lock.js';
import { Stats } from '../stats.js';
import { Subscribers } from '../subscribers.js';
import type { EventKind } from '../types.js';
import { inTransaction, type Pool } from './pool.js';

/** Serializes imports into one database (an arbitrary constant of this application). */
const IMPORT_LOCK = 7_310_266_014;

const FILES = ['subscribers.json', 'events.json', 'stats.json', 'broadcasts.json'];

export interface ImportResult {
  subscribers: number;
  events: number;
  broadcasts: number;
  /** jobs already in the database, left as they are */
  broadcastsKept: number;
  unansweredQuestions: number;
}

export async function importDataDir(dir: string, pool: Pool, logger: Logger): Promise<ImportResult> {
  if (!FILES.some((f) => existsSync(join(dir, f)))) throw new Error(`store: ${dir} holds no bot data (none of ${FILES.join(', ')})`);
  const release = lockDataDir(dir);
  let subscribers: Subscribers | undefined;
  let events: Events | undefined;
  let stats: Stats | undefined;
  let broadcasts: Broadcasts | undefined;
  try {
    subscribers = await Subscribers.open(join(dir, 'subscribers.json'), logger);
    events = await Events.open(join(dir, 'events.json'), logger);
    stats = await Stats.open(join(dir, 'stats.json'), logger);
    broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), logger);
    const subs = subscribers.list();
    const keys = (['sessions', 'articles', 'reminders'] as EventKind[]).flatMap((kind) => events!.keys(kind).map((key) => ({ kind, key })));
    const counts = await stats.counts();
    const unanswered = await stats.topUnanswered(Number.MAX_SAFE_INTEGER);
    const jobs = await broadcasts.all();

    return await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      // in the folder's order, so that a chat new to the database keeps its place in line
      for (const s of subs) {
        await client.query(
          `INSERT INTO subscribers (chat_id, chat_type, topics, status, since, blocked_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (chat_id) DO UPDATE SET chat_type = EXCLUDED.chat_type, topics = EXCLUDED.topics, status = EXCLUDED.status,
             since = EXCLUDED.since, blocked_at = EXCLUDED.blocked_at`,
          [s.chatId, s.chatType, s.topics, s.status, s.since, s.blockedAt ?? null],
        );
      }
      await client.query('INSERT INTO events (kind, key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [
        keys.map((k) => k.kind),
        keys.map((k) => k.key),
      ]);
      await client.query('UPDATE stats SET answered = GREATEST(answered, $1), declined = GREATEST(declined, $2)', [
        counts.answered,
        counts.declined,
      ]);
      await client.query(
        `INSERT INTO unanswered_questions (question, count) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (question) DO UPDATE SET count = GREATEST(unanswered_questions.count, EXCLUDED.count)`,
        [unanswered.map((q) => q.question), unanswered.map((q) => q.count)],
      );
      let copied = 0;
      for (const job of jobs) {
        const done = job.status === 'done';
        const { rowCount } = await client.query(
          `INSERT INTO broadcasts (id, kind, html, created_at, status, finished_at, expires_at, resend_of, progress_chat_id,
             progress_message_id, imported_recipients, imported_delivered, imported_blocked)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
          [
            job.id,
            job.kind,
            job.html,
            job.createdAt,
            job.status,
            job.finishedAt ?? null,
            job.expiresAt ?? null,
            job.resendOf ?? null,
            job.progress?.chatId ?? null,
            job.progress?.messageId ?? null,
            done ? job.recipients.length - job.failed.length : 0,
            done ? job.delivered.length : 0,
            done ? job.blocked.length : 0,
          ],
        );
        if (!rowCount) continue;
        copied++;
        // a finished job: its failed chats only; an unfinished one: every recipient, with what it got
        const chats = done ? job.failed : job.recipients;
        const status = new Map<number, { status: string; seq: number }>();
        let seq = 0;
        for (const o of ['delivered', 'blocked', 'failed'] as const) for (const id of job[o]) status.set(id, { status: o, seq: ++seq });
        await client.query(
          `INSERT INTO broadcast_recipients (broadcast_id, chat_id, position, status, outcome_seq, updated_at)
           SELECT $1, u.chat_id, u.position, u.status, u.seq, CASE WHEN u.status = 'pending' THEN NULL ELSE now() END
           FROM unnest($2::bigint[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(chat_id, status, seq, position)
           ON CONFLICT DO NOTHING`,
          [job.id, chats, chats.map((id) => status.get(id)?.status ?? 'pending'), chats.map((id) => status.get(id)?.seq ?? null)],
        );
      }
      return {
        subscribers: subs.length,
        events: keys.length,
        broadcasts: copied,
        broadcastsKept: jobs.length - copied,
        unansweredQuestions: unanswered.length,
      };
    });
  } finally {
    await Promise.all([subscribers?.close(), events?.close(), stats?.close(), broadcasts?.close()]);
    release();
  }
}
