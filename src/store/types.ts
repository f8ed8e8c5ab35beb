/**
 * What the rest of the bot sees of its store: one interface per module, implemented by the embedded
 * store (lowdb files in DATA_DIR, one process) and by PostgreSQL (DATABASE_URL, any number of
 * processes). Reads are asynchronous in both; features never know which one they talk to.
 */
import type { Conversation } from '../core/conversation.js';
import type { Pool } from './pg/pool.js';

export type TopicCounts = Record<Topic, { active: number; blocked: number }>;

export interface SubscriberStore {
  get(chatId: number): Promise<Subscriber | undefined>;
  /** Subscribes a chat to a topic (and resumes it if it was paused); resolves once saved, rejects when it cannot be. */
  subscribe(chatId: number, chatType: string, topic: Topic): Promise<Subscriber>;
  /** Unsubscribes a chat from a topic, or from all; resolves once saved with what is left. */
  unsubscribe(chatId: number, topic: Topic | 'all'): Promise<Subscriber | undefined>;
  /** Resumes a paused chat; true when it was paused. Never rejects (a failure is logged). */
  resume(chatId: number): Promise<boolean>;
  /** Pauses chats that refused messages. Never rejects (a failure is logged). */
  markBlocked(chatIds: number[]): Promise<void>;
  /** Active chats subscribed to a topic (all topics when none is given), in subscription order. */
  recipients(topic?: Topic): Promise<number[]>;
  /** Active and blocked subscribers per topic. */
  counts(): Promise<TopicCounts>;
  close(): Promise<void>;
}

export type EventKind = 'sessions' | 'articles' | 'reminders';

/** What has been announced and reminded already, so that nothing goes out twice. */
export interface EventStore {
  hasSession(key: string): Promise<boolean>;
  hasArticle(id: string): Promise<boolean>;
  hasReminder(key: string): Promise<boolean>;
  /** nothing recorded yet (no session, no article): the first start */
  isFresh(): Promise<boolean>;
  /** Records announcements (each once); never rejects. */
  record(kind: EventKind, keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface StatsStore {
  /** Counts a question; kept in memory and written every few seconds. */
  record(question: string, answered: boolean): void;
  /** questions answered and declined, those counted here and not yet written included */
  counts(): Promise<{ answered: number; declined: number }>;
  /** The most often declined questions, most asked first. */
  topUnanswered(n: number): Promise<Array<{ question: string; count: number }>>;
  /** Writes the counts; rejects when the write fails (they are kept and written later). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Broadcast jobs. A job returned by `unfinished()` is the store's own object: the broadcaster adds
 * chats to its lists and sets its status in place, then `checkpoint()` saves what changed.
 */
export interface BroadcastStore {
  get(id: string): Promise<BroadcastJob | undefined>;
  /** Queues a job unless one with its id exists; resolves with the stored job once saved. */
  create(job: NewBroadcastJob): Promise<BroadcastJob>;
  /** Saves the progress of the unfinished jobs; never rejects (a failure is logged, kept, retried). */
  checkpoint(): Promise<void>;
  /** Unfinished jobs, oldest first. */
  unfinished(): Promise<BroadcastJob[]>;
  /** Every job, oldest first; a finished one with counts only (see BroadcastJob). */
  all(): Promise<BroadcastJob[]>;
  /** Every job as counts, oldest first. */
  summaries(): Promise<BroadcastSummary[]>;
  close(): Promise<void>;
}

/** Telegram update ids already handled, so that an update delivered again is handled once. */
export interface UpdateStore {
  /** True when the update was seen before; otherwise records it and returns false. */
  seen(updateId: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Per-chat conversations (follow-up questions). */
export interface ConversationStore {
  /** The chat's conversation, empty when it has none or it was left alone longer than the TTL. */
  get(chatId: number | string): Promise<Conversation>;
  /** Keeps the chat's conversation (after a question changed it). */
  set(chatId: number | string, conversation: Conversation): Promise<void>;
  close(): Promise<void>;
}

export type Topic = 'minsheng' | 'articles';

export interface Subscriber {
  chatId: number;
  chatType: string;
  topics: Topic[];
  /** blocked: the chat refused a message (bot blocked, chat gone); paused until it comes back */
  status: 'active' | 'blocked';
  since: string;
  blockedAt?: string;
}

export type BroadcastKind = 'preview' | 'reminder' | 'articles' | 'admin';

export interface BroadcastJob {
  /** derived from what is announced, so the same announcement is never queued twice */
  id: string;
  kind: BroadcastKind;
  /** the message, Telegram HTML */
  html: string;
  createdAt: string;
  status: 'pending' | 'running' | 'done';
  /**
   * Chats, in sending order. A finished job keeps counts only: its recipients, delivered and
   * blocked have the length of what they were but hold no chat ids (see `summaries()`); its failed
   * chats are kept.
   */
  recipients: number[];
  delivered: number[];
  blocked: number[];
  failed: number[];
  finishedAt?: string;
  /** an admin's message that shows the progress */
  progress?: { chatId: number; messageId: number };
  /** when the message is no longer worth sending (ISO time); absent: 24 hours after createdAt */
  expiresAt?: string;
  /** the job whose failed chats this one sends to again */
  resendOf?: string;
}

/** What a job is queued with. */
export type NewBroadcastJob = Omit<BroadcastJob, 'status' | 'delivered' | 'blocked' | 'failed' | 'createdAt'> & { createdAt?: string };

/** What is kept of a finished job (and what summaries() tells of any job). */
export interface BroadcastSummary {
  id: string;
  kind: BroadcastKind;
  html: string;
  createdAt: string;
  status: BroadcastJob['status'];
  finishedAt?: string;
  expiresAt?: string;
  resendOf?: string;
  counts: { recipients: number; delivered: number; blocked: number; failed: number };
  /** the chats the message could not reach */
  failed: number[];
  progress?: { chatId: number; messageId: number };
}

export interface Store {
  /** 'lowdb': files in DATA_DIR, one process; 'postgres': a database shared by several */
  kind: 'lowdb' | 'postgres';
  subscribers: SubscriberStore;
  events: EventStore;
  stats: StatsStore;
  broadcasts: BroadcastStore;
  updates: UpdateStore;
  conversations: ConversationStore;
  /** PostgreSQL only: the connection pool, for what coordinates the processes */
  pool?: Pool;
  /** writes what is pending (a write that fails is logged, not thrown) and releases the folder or the pool */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL's address; absent: the files in the data folder */
  databaseUrl?: string;
  /** the clock subscriptions are dated with */
  now?: () => Date;
}
