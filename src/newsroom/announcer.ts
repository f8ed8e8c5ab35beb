/**
 * Posts what is new in the corpus to its subscribers, once: the preview of a 民生在线 session not
 * announced before (if it is still ahead), and the headlines of new articles. On the first run the
 * articles already in the corpus count as known, so nobody gets a flood of old news.
 */
import { createHash } from 'node:crypto';
import type { Engine } from '../core/engine.js';
import type { Broadcaster } from '../delivery/broadcaster.js';
import type { EventStore, SubscriberStore } from '../store/types.js';
import { articlesHtml, previewHtml, sessionKey } from './messages.js';
import { reminderTimes } from './reminders.js';

export interface AnnounceResult {
  previews: number;
  articles: number;
}

export class Announcer {
  constructor(
    private readonly events: EventStore,
    private readonly subscribers: SubscriberStore,
    private readonly broadcaster: Broadcaster,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Queues broadcasts for what the engine knows and nobody was told yet. */
  async announce(engine: Engine): Promise<AnnounceResult> {
    const { sessions, articles } = engine.knowledge;
    const result: AnnounceResult = { previews: 0, articles: 0 };
    const now = this.now().getTime();
    const first = await this.events.isFresh();

    const newSessions = await filterAsync(sessions, async (s) => !(await this.events.hasSession(sessionKey(s))));
    for (const s of newSessions) {
      const recipients = await this.subscribers.recipients('minsheng');
      if (new Date(s.start).getTime() <= now || !recipients.length) continue;
      // queued (once per id) before it is recorded as announced: a crash in between loses nothing
      await this.broadcaster.enqueue(`preview:${sessionKey(s)}`, 'preview', previewHtml(s), recipients);
      result.previews++;
    }
    // a reminder whose time passed before the preview was out would only repeat it
    const overdue = newSessions.flatMap((s) =>
      reminderTimes(s)
        .filter((r) => r.at.getTime() <= now)
        .map((r) => `${sessionKey(s)}@${r.kind}`),
    );

    const newArticles = await filterAsync(articles, async (a) => !(await this.events.hasArticle(a.id)));
    const recipients = await this.subscribers.recipients('articles');
    if (newArticles.length && !first && recipients.length) {
      const id = `articles:${createHash('sha1')
        .update(newArticles.map((a) => a.id).join('\n'))
        .digest('hex')
        .slice(0, 16)}`;
      await this.broadcaster.enqueue(id, 'articles', articlesHtml(newArticles), recipients);
      result.articles = newArticles.length;
    }
    await this.events.record('reminders', overdue);
    await this.events.record('sessions', newSessions.map(sessionKey));
    await this.events.record(
      'articles',
      newArticles.map((a) => a.id),
    );
    return result;
  }
}

/** The items for which `keep` resolves true, in order (asked one at a time). */
async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) if (await keep(item)) out.push(item);
  return out;
}
