/**
 * One leader among the workers on one database, for the jobs that must run once: watching the
 * corpus folder, announcing previews and headlines, sending reminders.
 *
 * The leader is the worker holding a session-level PostgreSQL advisory lock
 * (`pg_try_advisory_lock`) on a connection of its own. PostgreSQL releases such a lock when the
 * session ends, however it ends: a stop, a crash, a SIGKILL (the server sees the socket close), or
 * the server ending a session that went silent (`idle_session_timeout`, set below, for a leader
 * whose host vanished without closing its connection). The other workers try the lock every
 * `retryMs`, so one of them leads within about that long. Nothing of the lock lives in files or
 * in the bot's own tables, and there is no lease to renew.
 *
 * A leader that loses its connection (the query that checks it fails or times out, or the
 * connection reports an error) stops leading at once, and tries to lead again only after three
 * rounds, so that a worker that is well takes over; two workers never lead on purpose at the same
 * time. What must happen once (an announcement, a reminder) is
 * also recorded in the events table and queued under an id of its own, so a handover in the middle
 * of one neither skips nor repeats it.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

/** The advisory lock's key: one newsroom leader per database ("qdnews" in ASCII). */
export const LEADER_LOCK_KEY = 0x7164_6e65_7773;

export interface LeadershipOptions {
  connectionString: string;
  logger: Logger;
  /** this worker now leads: start the jobs that run once */
  onElected: () => void | Promise<void>;
  /** this worker no longer leads (its connection failed, or it stops): stop them */
  onDeposed: () => void | Promise<void>;
  /** how often a follower tries to take the lead, and a leader checks its connection (default 1000 ms) */
  retryMs?: number;
  /** the lock's key (default LEADER_LOCK_KEY) */
  key?: number;
  /** a name for the logs */
  worker?: string;
}

export class Leadership {
  private client?: pg.Client;
  private leading = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** after losing its connection, a worker tries again only from this time, leaving the lead to a worker that is well */
  private quietUntil = 0;
  /** the elected/deposed callbacks, in order */
  private transitions: Promise<void> = Promise.resolve();
  private tried!: () => void;
  private readonly firstTry = new Promise<void>((resolve) => {
    this.tried = resolve;
  });

  constructor(private readonly options: LeadershipOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Starts trying to lead; resolves after the first try (once `onElected` is done, if it leads), so
   * that a worker starting alone runs the newsroom's jobs before it takes updates.
   */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.firstTry;
  }

  /** Stops leading (the lock is released with the session) and trying to. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    await this.transitions;
  }

  private get retryMs(): number {
    return this.options.retryMs ?? 1000;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let failing = false;
    while (!this.stopped) {
      const quiet = this.quietUntil - Date.now();
      if (quiet > 0) {
        await this.sleep(quiet);
        continue;
      }
      try {
        if (!this.client) this.client = await this.connect();
        if (!this.leading) {
          const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
            this.options.key ?? LEADER_LOCK_KEY,
          ]);
          if (rows[0]?.ok) this.elect();
        } else {
          // the lock lives as long as the session: check that the session does
          await this.client.query('SELECT 1');
        }
        if (failing) logger.info('leadership: connected to the database again');
        failing = false;
      } catch (err) {
        if (!failing && !this.stopped) logger.warn(`leadership: the database connection failed (${(err as Error).message}); trying again`);
        failing = true;
        this.drop();
      }
      await this.transitions;
      this.tried();
      await this.sleep(this.retryMs);
    }
    this.tried();
    this.depose();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    const timeoutMs = Math.max(2000, 2 * this.retryMs);
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: `qdnews-leader${this.options.worker ? ` ${this.options.worker}` : ''}`,
    });
    client.on('error', () => {
      // the connection broke: whatever lock it held is gone with it
      if (this.client === client) this.drop();
    });
    client.on('end', () => {
      if (this.client === client) this.drop();
    });
    try {
      await client.connect();
      // a session silent for this long is ended by the server, so a leader cut off from it without
      // its connection closing (a host gone) releases the lock (PostgreSQL 14 and later)
      await client.query(`SET idle_session_timeout = ${Math.round(Math.max(5000, 5 * this.retryMs))}`).catch(() => undefined);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  /** The connection is gone or unusable: stop leading, connect again at the next round. */
  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (this.leading) this.quietUntil = Date.now() + 3 * this.retryMs;
    this.depose();
    void client?.end().catch(() => undefined);
  }

  private elect(): void {
    if (this.leading || this.stopped) return;
    this.leading = true;
    this.options.logger.info('leadership: this worker leads the newsroom jobs');
    this.transitions = this.transitions.then(() => this.call(this.options.onElected, 'starting the newsroom jobs'));
  }

  private depose(): void {
    if (!this.leading) return;
    this.leading = false;
    this.options.logger.info('leadership: this worker no longer leads the newsroom jobs');
    this.transitions = this.transitions.then(() => this.call(this.options.onDeposed, 'stopping the newsroom jobs'));
  }

  private async call(fn: () => void | Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.options.logger.error(`leadership: ${what} failed`, err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      if (this.stopped) return resolve();
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }
}
