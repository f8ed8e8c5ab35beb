/** Subscriptions in PostgreSQL: one row per chat, its topics in subscription order. */
import type { Logger } from '../../logger.js';
import { TOPICS, type Subscriber, type Topic } from '../subscribers.js';
import type { SubscriberStore, TopicCounts } from '../types.js';
import { inTransaction, type Pool } from './pool.js';

interface Row {
  chat_id: number;
  chat_type: string;
  topics: string[];
  status: 'active' | 'blocked';
  since: Date;
  blocked_at: Date | null;
}

const COLUMNS = 'chat_id, chat_type, topics, status, since, blocked_at';

function toSubscriber(r: Row): Subscriber {
  return {
    chatId: r.chat_id,
    chatType: r.chat_type,
    topics: r.topics as Topic[],
    status: r.status,
    since: r.since.toISOString(),
    ...(r.blocked_at ? { blockedAt: r.blocked_at.toISOString() } : {}),
  };
}

export class PgSubscribers implements SubscriberStore {
  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(chatId: number): Promise<Subscriber | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM subscribers WHERE chat_id = $1`, [chatId]);
    return rows[0] && toSubscriber(rows[0]);
  }

  async subscribe(chatId: number, chatType: string, topic: Topic): Promise<Subscriber> {
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO subscribers (chat_id, chat_type, topics, status, since)
       VALUES ($1, $2, ARRAY[$3::text], 'active', $4)
       ON CONFLICT (chat_id) DO UPDATE SET
         topics = CASE WHEN $3 = ANY (subscribers.topics) THEN subscribers.topics ELSE array_append(subscribers.topics, $3) END,
         status = 'active',
         blocked_at = NULL
       RETURNING ${COLUMNS}`,
      [chatId, chatType, topic, this.now()],
    );
    return toSubscriber(rows[0]!);
  }

  unsubscribe(chatId: number, topic: Topic | 'all'): Promise<Subscriber | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<Row>(
        `UPDATE subscribers SET topics = CASE WHEN $2 = 'all' THEN '{}'::text[] ELSE array_remove(topics, $2) END
         WHERE chat_id = $1 RETURNING ${COLUMNS}`,
        [chatId, topic],
      );
      const s = rows[0];
      if (!s) return undefined;
      if (s.topics.length === 0) {
        await client.query('DELETE FROM subscribers WHERE chat_id = $1', [chatId]);
        return undefined;
      }
      return toSubscriber(s);
    });
  }

  async resume(chatId: number): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        `UPDATE subscribers SET status = 'active', blocked_at = NULL WHERE chat_id = $1 AND status = 'blocked'`,
        [chatId],
      );
      return (rowCount ?? 0) > 0;
    } catch (err) {
      this.logger.error(`store: chat ${chatId} not resumed (PostgreSQL)`, err);
      return false;
    }
  }

  async markBlocked(chatIds: number[]): Promise<void> {
    if (!chatIds.length) return;
    try {
      await this.pool.query(
        `UPDATE subscribers SET status = 'blocked', blocked_at = $2 WHERE chat_id = ANY ($1::bigint[]) AND status <> 'blocked'`,
        [chatIds, this.now()],
      );
    } catch (err) {
      this.logger.error(`store: ${chatIds.length} blocked chat(s) not paused (PostgreSQL)`, err);
    }
  }

  async recipients(topic?: Topic): Promise<number[]> {
    const { rows } = await this.pool.query<{ chat_id: number }>(
      `SELECT chat_id FROM subscribers WHERE status = 'active' AND ($1::text IS NULL OR $1 = ANY (topics)) ORDER BY position`,
      [topic ?? null],
    );
    return rows.map((r) => r.chat_id);
  }

  async counts(): Promise<TopicCounts> {
    const out = Object.fromEntries(Object.keys(TOPICS).map((t) => [t, { active: 0, blocked: 0 }])) as TopicCounts;
    const { rows } = await this.pool.query<{ topic: string; status: 'active' | 'blocked'; n: number }>(
      'SELECT t.topic, s.status, count(*) AS n FROM subscribers s, unnest(s.topics) AS t(topic) GROUP BY t.topic, s.status',
    );
    for (const r of rows) if (r.topic in out) out[r.topic as Topic][r.status] = r.n;
    return out;
  }

  async close(): Promise<void> {}
}
