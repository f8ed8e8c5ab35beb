/**
 * Subscriptions: which chats want which topics, and which have blocked the bot (paused, kept).
 * A change asked for by a person (subscribe, unsubscribe) resolves once on disk and rejects when it
 * cannot be saved, so that the person is told. Pausing and resuming chats is bookkeeping: when the
 * disk refuses it, it is kept in memory and written once the disk takes it.
 */
import type { Logger } from '../logger.js';
import { JsonStoreFile } from './json-file.js';
import type { Subscriber, SubscriberStore, Topic, TopicCounts } from './types.js';

export type { Subscriber, Topic } from './types.js';

/** Topics in display order, with what a subscriber gets. */
export const TOPICS: Record<Topic, string> = {
  minsheng: '“民生在线”预告与开始前提醒',
  articles: '新文章上线通知',
};

export const isTopic = (t: string): t is Topic => Object.hasOwn(TOPICS, t);

interface SubscribersData {
  schemaVersion: 1;
  subscribers: Record<string, Subscriber>;
}

export class Subscribers implements SubscriberStore {
  private constructor(
    private readonly file: JsonStoreFile<SubscribersData>,
    private readonly now: () => Date,
  ) {}

  static async open(path: string, logger: Logger, now: () => Date = () => new Date()): Promise<Subscribers> {
    const file = await JsonStoreFile.open<SubscribersData>(path, {
      schemaVersion: 1,
      logger,
      defaults: () => ({ schemaVersion: 1, subscribers: {} }),
    });
    return new Subscribers(file, now);
  }

  async get(chatId: number): Promise<Subscriber | undefined> {
    return this.file.data.subscribers[String(chatId)];
  }

  /** Subscribes a chat to a topic (and resumes it if it was paused); resolves once on disk. */
  subscribe(chatId: number, chatType: string, topic: Topic): Promise<Subscriber> {
    return this.file.update((d) => {
      const key = String(chatId);
      const s =
        d.subscribers[key] ?? (d.subscribers[key] = { chatId, chatType, topics: [], status: 'active', since: this.now().toISOString() });
      if (!s.topics.includes(topic)) s.topics.push(topic);
      s.status = 'active';
      delete s.blockedAt;
      return { ...s, topics: [...s.topics] };
    });
  }

  /** Unsubscribes a chat from a topic, or from all; resolves once on disk with what is left. */
  unsubscribe(chatId: number, topic: Topic | 'all'): Promise<Subscriber | undefined> {
    return this.file.update((d) => {
      const key = String(chatId);
      const s = d.subscribers[key];
      if (!s) return undefined;
      s.topics = topic === 'all' ? [] : s.topics.filter((t) => t !== topic);
      if (s.topics.length === 0) {
        delete d.subscribers[key];
        return undefined;
      }
      return { ...s, topics: [...s.topics] };
    });
  }

  /**
   * Resumes a paused chat (it wrote to the bot again); true when it was paused. Resolves once on
   * disk, or once the write failed (then the change is written later): it never rejects.
   */
  async resume(chatId: number): Promise<boolean> {
    if (this.file.data.subscribers[String(chatId)]?.status !== 'blocked') return false;
    await this.bookkeeping((d) => {
      const s = d.subscribers[String(chatId)];
      if (s) {
        s.status = 'active';
        delete s.blockedAt;
      }
    });
    return true;
  }

  /** Pauses chats that refused messages; one write for the lot. Never rejects, as resume. */
  async markBlocked(chatIds: number[]): Promise<void> {
    if (!chatIds.length) return;
    await this.bookkeeping((d) => {
      for (const id of chatIds) {
        const s = d.subscribers[String(id)];
        if (s && s.status !== 'blocked') {
          s.status = 'blocked';
          s.blockedAt = this.now().toISOString();
        }
      }
    });
  }

  /** Writes what is pending; never rejects. */
  close(): Promise<void> {
    return this.file.close();
  }

  /** A change nobody waits to hear about: a failed write is logged and retried by the file. */
  private bookkeeping(mutate: (d: SubscribersData) => void): Promise<void> {
    return this.file.update(mutate).catch(() => undefined);
  }

  /** Every subscriber, paused ones too, in stored order (copies). */
  list(): Subscriber[] {
    return Object.values(this.file.data.subscribers).map((s) => ({ ...s, topics: [...s.topics] }));
  }

  /** Active chats subscribed to a topic (all topics when none is given), in subscription order. */
  async recipients(topic?: Topic): Promise<number[]> {
    return Object.values(this.file.data.subscribers)
      .filter((s) => s.status === 'active' && (!topic || s.topics.includes(topic)))
      .map((s) => s.chatId);
  }

  /** Active and blocked subscribers per topic. */
  async counts(): Promise<TopicCounts> {
    const out = Object.fromEntries(Object.keys(TOPICS).map((t) => [t, { active: 0, blocked: 0 }])) as TopicCounts;
    for (const s of Object.values(this.file.data.subscribers)) for (const t of s.topics) out[t][s.status]++;
    return out;
  }
}
