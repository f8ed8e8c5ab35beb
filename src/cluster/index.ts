/**
 * Several workers on one PostgreSQL database (DATABASE_URL), wired together: broadcasts split by
 * claims, one send rate for all, one leader for the newsroom's jobs, and news between the workers.
 * Without DATABASE_URL none of this runs.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Broadcaster } from '../delivery/broadcaster.js';
import type { Logger } from '../logger.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { Claims } from './claims.js';
import { Leadership } from './leader.js';
import { Notifier } from './notify.js';
import { SharedRate } from './shared-rate.js';

/** A worker that missed news looks for broadcasts to send at least this often. */
const LOOK_FOR_BROADCASTS_MS = 30_000;

export interface ClusterOptions {
  pool: pg.Pool;
  connectionString: string;
  /** BROADCAST_RATE, for all the workers together */
  rate: number;
  logger: Logger;
}

export class Cluster {
  /** this worker's id: host, process and a random part */
  readonly worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly claims: Claims;
  readonly sharedRate: SharedRate;
  private readonly notifier: Notifier;
  private leadership?: Leadership;
  private timer?: NodeJS.Timeout;
  private parts?: { newsroom: Newsroom; broadcaster: Broadcaster };

  constructor(private readonly options: ClusterOptions) {
    const { pool, logger, connectionString } = options;
    this.sharedRate = new SharedRate({ pool, rate: options.rate, logger });
    this.notifier = new Notifier({
      connectionString,
      logger,
      worker: this.worker,
      onNews: async (news) => {
        if (news === 'broadcast') this.parts?.broadcaster.start();
        else await this.parts?.newsroom.reload('notify');
      },
      onReconnect: async () => {
        this.parts?.broadcaster.start();
        await this.parts?.newsroom.reload('notify');
      },
    });
    this.claims = new Claims({
      pool,
      worker: this.worker,
      logger,
      onQueued: () => {
        this.notifier
          .publish(pool, 'broadcast')
          .catch((err: Error) => logger.warn(`the other workers were not told of a new broadcast (${err.message})`));
      },
    });
  }

  /** Tells the other workers that the corpus was reloaded. */
  publishReload(): Promise<void> {
    return this.notifier.publish(this.options.pool, 'corpus');
  }

  /**
   * Listens to the other workers and starts trying to lead the newsroom's jobs; resolves after the
   * first try (the newsroom's jobs started, if this worker leads).
   */
  async start(parts: { newsroom: Newsroom; broadcaster: Broadcaster }): Promise<void> {
    this.parts = parts;
    await this.notifier.start();
    this.leadership = new Leadership({
      connectionString: this.options.connectionString,
      logger: this.options.logger,
      worker: this.worker,
      onElected: () => parts.newsroom.lead(),
      onDeposed: () => parts.newsroom.unlead(),
    });
    await this.leadership.start();
    this.timer = setInterval(() => parts.broadcaster.start(), LOOK_FOR_BROADCASTS_MS);
    this.timer.unref();
    this.options.logger.info(`cluster: worker ${this.worker}`);
  }

  get isLeader(): boolean {
    return this.leadership?.isLeader ?? false;
  }

  /** Stops leading (another worker takes over) and listening. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.leadership?.stop(), this.notifier.stop()]);
  }
}
