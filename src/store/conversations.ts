/**
 * Conversations kept in memory, for the embedded store's one process: those of the most recently
 * active chats, bounded. `get` hands out the chat's own object, which the engine changes in place
 * (and forgets when left alone longer than its TTL), so `set` only has to keep it.
 */
import type { Conversation } from '../core/conversation.js';
import { DEFAULT_OPTIONS } from '../core/options.js';
import type { ConversationStore } from './types.js';

/** How long a conversation is kept without a question: the engine's own TTL. */
export const CONVERSATION_TTL_MS = DEFAULT_OPTIONS.conversationTtlMs;

export class MemoryConversations implements ConversationStore {
  private readonly chats = new Map<string, Conversation>();
  constructor(private readonly max = 10_000) {}

  async get(chatId: number | string): Promise<Conversation> {
    const key = String(chatId);
    let c = this.chats.get(key);
    if (c) this.chats.delete(key);
    else c = {};
    this.keep(key, c);
    return c;
  }

  async set(chatId: number | string, conversation: Conversation): Promise<void> {
    const key = String(chatId);
    this.chats.delete(key);
    this.keep(key, conversation);
  }

  get size(): number {
    return this.chats.size;
  }

  async close(): Promise<void> {}

  private keep(key: string, c: Conversation): void {
    this.chats.set(key, c); // most recent last
    if (this.chats.size > this.max) this.chats.delete(this.chats.keys().next().value!);
  }
}
