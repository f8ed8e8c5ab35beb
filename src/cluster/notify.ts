/**
 * News between the workers on one database, by PostgreSQL's LISTEN/NOTIFY: "the corpus was
 * reloaded" (each worker then reloads its own engine from the shared corpus folder) and "a
 * broadcast was queued" (each worker then joins in sending it).
 *
 * One connection of its own listens; a worker hears what the others publish, not its own. A
 * notification is not kept for a worker that is not listening, so when the listening connection
 * comes back after a loss, `onReconnect` runs: the worker catches up as if it had been told
 * everything (reloads its engine, looks for broadcasts to send).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';

export const CHANNEL = 'qdnews_cluster';

export type ClusterNews = 'corpus' | 'broadcast';

export interface NotifierOptions {
  connectionString: string;
  logger: Logger;
  /** what another worker published */
  onNews: (news: ClusterNews) => void | Promise<void>;
  /** the listening connection is back after a loss (news may have been missed meanwhile) */
  onReconnect?: () => void | Promise<void>;
  /** the wait before connecting again after a loss (default 1000 ms) */
  retryMs?: number;
  /** this worker's id (default: a random one) */
  worker?: string;
}

export class Notifier {
  readonly worker: string;
  private client?: pg.Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private connecting?: Promise<void>;
  private lost = false;

  constructor(private readonly options: NotifierOptions) {
    this.worker = options.worker ?? randomUUID();
  }

  /** Starts listening; resolves once it does (or, if the database does not answer, keeps trying in the background). */
  async start(): Promise<void> {
    await this.listen();
  }

  /** Tells the other workers. Uses the listening connection's database, through `pool`. */
  async publish(pool: pg.Pool, news: ClusterNews): Promise<void> {
    await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ from: this.worker, news })]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private listen(): Promise<void> {
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { logger } = this.options;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      application_name: `qdnews-listen ${this.worker}`.slice(0, 63),
    });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      let parsed: { from?: string; news?: ClusterNews };
      try {
        parsed = JSON.parse(msg.payload);
      } catch {
        return;
      }
      if (parsed.from === this.worker || (parsed.news !== 'corpus' && parsed.news !== 'broadcast')) return;
      void this.call(() => this.options.onNews(parsed.news!), `handling "${parsed.news}"`);
    });
    const onLoss = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.retryLater(err);
    };
    client.on('error', onLoss);
    client.on('end', () => onLoss());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.retryLater(err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.lost) {
      this.lost = false;
      logger.info('cluster: listening to the other workers again');
      await this.call(() => this.options.onReconnect?.(), 'catching up after the connection was lost');
    }
  }

  private retryLater(err?: Error): void {
    if (this.stopped) return;
    if (!this.lost) {
      this.options.logger.warn(`cluster: not listening to the other workers (${err?.message ?? 'connection closed'}); connecting again`);
    }
    this.lost = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.listen(), this.options.retryMs ?? 1000);
  }

  private async call(fn: () => unknown, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.options.logger.error(`cluster: ${what} failed`, err);
    }
  }
}
