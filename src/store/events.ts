/** What has been announced and reminded already, so that nothing goes out twice. */
import type { Logger } from '../logger.js';
import { JsonStoreFile } from './json-file.js';
import type { EventKind, EventStore } from './types.js';

interface EventsData {
  schemaVersion: 1;
  /** session keys whose preview was posted (or found already past) */
  sessions: string[];
  /** article ids whose headline was announced (or that were there before anyone subscribed) */
  articles: string[];
  /** `<session key>@<reminder kind>` of reminders sent */
  reminders: string[];
}

export class Events implements EventStore {
  private constructor(private readonly file: JsonStoreFile<EventsData>) {}

  static async open(path: string, logger: Logger): Promise<Events> {
    const file = await JsonStoreFile.open<EventsData>(path, {
      schemaVersion: 1,
      logger,
      defaults: () => ({ schemaVersion: 1, sessions: [], articles: [], reminders: [] }),
    });
    return new Events(file);
  }

  async hasSession(key: string): Promise<boolean> {
    return this.file.data.sessions.includes(key);
  }
  async hasArticle(id: string): Promise<boolean> {
    return this.file.data.articles.includes(id);
  }
  async hasReminder(key: string): Promise<boolean> {
    return this.file.data.reminders.includes(key);
  }
  async isFresh(): Promise<boolean> {
    return this.file.data.sessions.length === 0 && this.file.data.articles.length === 0;
  }

  /** Every key recorded of a kind. */
  keys(kind: EventKind): string[] {
    return [...this.file.data[kind]];
  }

  /** Writes what is pending; never rejects. */
  close(): Promise<void> {
    return this.file.close();
  }

  /**
   * Records announcements; resolves once on disk. When the disk refuses the write, the record is
   * kept in memory and written once the disk takes it, and this resolves all the same: the
   * announcements went out, and their broadcast jobs (which are saved first) are never queued twice.
   */
  async record(kind: EventKind, keys: string[]): Promise<void> {
    const list = this.file.data[kind];
    const added = [...new Set(keys)].filter((k) => !list.includes(k));
    if (!added.length) return this.file.settled().catch(() => undefined);
    await this.file
      .update((d) => {
        d[kind].push(...added);
      })
      .catch(() => undefined); // logged and retried by the file
  }
}
