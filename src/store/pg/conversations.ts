/**
 * Conversations in PostgreSQL, so that a follow-up question that lands on another worker is read
 * with the topic of the one before. One row per chat; a row left alone longer than the TTL is
 * ignored and, every few minutes, deleted.
 */
import type { Conversation } from '../../core/conversation.js';
import { CONVERSATION_TTL_MS } from '../conversations.js';
import type { ConversationStore } from '../types.js';
import type { Pool } from './pool.js';

const PRUNE_EVERY_MS = 10 * 60_000;

export class PgConversations implements ConversationStore {
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs = CONVERSATION_TTL_MS,
  ) {}

  async get(chatId: number | string): Promise<Conversation> {
    const { rows } = await this.pool.query<{ state: Conversation }>(
      `SELECT state FROM conversations WHERE chat_id = $1 AND updated_at > now() - $2 * interval '1 millisecond'`,
      [String(chatId), this.ttlMs],
    );
    return rows[0]?.state ?? {};
  }

  async set(chatId: number | string, conversation: Conversation): Promise<void> {
    await this.pool.query(
      `INSERT INTO conversations (chat_id, state, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (chat_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [String(chatId), JSON.stringify(conversation)],
    );
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune().catch(() => undefined);
  }

  /** Deletes conversations left alone longer than the TTL. */
  async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM conversations WHERE updated_at < now() - $1 * interval '1 millisecond'`, [this.ttlMs]);
  }

  async close(): Promise<void> {}
}
