/** What has been announced and reminded already, so that nothing goes out twice. */
import type { Logger } from '../logger.js';
import { JsonStoreFile } from './json-file.js';

interface EventsData {
  schemaVersion: 1;
  /** session keys whose preview was posted (or found already past) */
  sessions: string[];
  /** article ids whose headline was announced (or that were there before anyone subscribed) */
  articles: string[];
  /** `<session key>@<reminder kind>` of reminders sent */
  reminders: string[];
}

export class Events {
  private constructor(private readonly file: JsonStoreFile<EventsData>) {}

  static async open(path: string, logger: Logger): Promise<Events> {
    const file = await JsonStoreFile.open<EventsData>(path, {
      schemaVersion: 1,
      logger,
      defaults: () => ({ schemaVersion: 1, sessions: [], articles: [], reminders: [] }),
    });
    return new Events(file);
  }

  hasSession(key: string): boolean {
    return this.file.data.sessions.includes(key);
  }
  hasArticle(id: string): boolean {
    return this.file.data.articles.includes(id);
  }
  hasReminder(key: string): boolean {
    return this.file.data.reminders.includes(key);
  }
  get isFresh(): boolean {
    return this.file.data.sessions.length === 0 && this.file.data.articles.length === 0;
  }

  /** Records announcements; resolves once on disk. */
  record(kind: 'sessions' | 'articles' | 'reminders', keys: string[]): Promise<void> {
    return this.file.update((d) => {
      for (const k of keys) if (!d[kind].includes(k)) d[kind].push(k);
    });
  }
}
