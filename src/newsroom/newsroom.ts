/**
 * The paper's side of the bot: the corpus folder is watched (and reloaded on /reload), new previews
 * and articles are announced, reminders are kept on schedule, and the admins hear what went wrong.
 *
 * With several workers on one database (`cluster`), every worker sends broadcasts and answers from
 * its own engine, but the jobs that must run once (watching the folder, announcing, reminders) run
 * in the leader only (`lead()` and `unlead()`, called by cluster/leader.ts). A reload in any worker
 * is told to the others, which reload their engines too (`reload('notify')`).
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Broadcaster } from '../delivery/broadcaster.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';
import { Announcer } from './announcer.js';
import type { EngineHolder, ReloadResult } from './engine-holder.js';
import { ReminderScheduler } from './reminders.js';

export interface NewsroomOptions {
  engines: EngineHolder;
  store: Store;
  broadcaster: Broadcaster;
  logger: Logger;
  /** tells the newsroom staff (ADMIN_IDS) something */
  notifyAdmins: (text: string) => Promise<void>;
  now?: () => Date;
  /** quiet time after the last change in the folder before it is read */
  debounceMs?: number;
  /** several workers on one database: the newsroom's jobs wait for `lead()`; a reload is told to the others */
  cluster?: { publishReload: () => Promise<void> };
}

/** What started a reload: the folder watch, an admin's /reload, or another worker's reload. */
export type ReloadTrigger = 'watch' | 'admin' | 'notify';

export class Newsroom {
  readonly announcer: Announcer;
  readonly reminders: ReminderScheduler;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private reloading: Promise<ReloadResult> | undefined;
  /** runs the jobs that run once (always, with a single worker) */
  private leading = false;
  private stopped = false;

  constructor(private readonly options: NewsroomOptions) {
    const { store, broadcaster, engines, logger, now } = options;
    this.announcer = new Announcer(store.events, store.subscribers, broadcaster, now);
    this.reminders = new ReminderScheduler({
      sessions: () => engines.current.knowledge.sessions,
      events: store.events,
      subscribers: store.subscribers,
      broadcaster,
      logger,
      now,
    });
  }

  /**
   * Resumes unfinished broadcasts; alone, also announces what is new, plans reminders and watches
   * the corpus (with several workers, the leader does those, from `lead()`).
   */
  async start(): Promise<void> {
    if (this.options.cluster) {
      this.options.broadcaster.start();
      return;
    }
    await this.announcer.announce(this.options.engines.current);
    this.options.broadcaster.start();
    await this.reminders.start();
    this.leading = true;
    this.watch();
  }

  /**
   * This worker now leads: catches up with the corpus folder (a page may have come while no worker
   * led), announces what nobody was told yet, plans reminders and watches the folder.
   */
  async lead(): Promise<void> {
    if (this.leading || this.stopped) return;
    this.leading = true;
    const { engines, logger } = this.options;
    if (engines.changed()) await this.reload('watch');
    else {
      try {
        await this.announcer.announce(engines.current);
      } catch (err) {
        logger.error('announcing on taking the lead failed', err);
      }
      await this.reminders.start();
    }
    if (this.leading) this.watch();
  }

  /** This worker no longer leads: the folder watch and the reminders stop (the leader runs them). */
  unlead(): void {
    this.leading = false;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.reminders.stop();
  }

  /**
   * Rebuilds the index from the corpus folder; on success announces what is new (with several
   * workers: tells the others, and announces if this one leads). One at a time.
   */
  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    this.reloading ??= this.doReload(trigger).finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const { engines, logger, cluster } = this.options;
    // told by another worker: nothing to do when this engine already has what the folder has
    if (trigger === 'notify' && !engines.changed()) {
      return { ok: true, message: '版面没有变化', warnings: [], engine: engines.current };
    }
    const result = engines.reload();
    if (!result.ok) {
      logger.warn(`corpus reload (${trigger}) refused: ${result.message}`);
      if (trigger === 'watch') await this.options.notifyAdmins(`⚠️ 语料更新失败\n${result.message}`);
      return result;
    }
    logger.info(`corpus reload (${trigger}): ${result.message}`);
    if (cluster && trigger !== 'notify') {
      await cluster.publishReload().catch((err: Error) => logger.warn(`the other workers were not told of the reload (${err.message})`));
    }
    if (!this.leading) return result;
    try {
      const announced = await this.announcer.announce(result.engine);
      await this.reminders.start();
      if (trigger === 'watch' && (announced.previews || announced.articles)) {
        await this.options.notifyAdmins(`✅ ${result.message}\n已推送:预告 ${announced.previews} 条,新文章 ${announced.articles} 篇。`);
      }
    } catch (err) {
      logger.error('announcing after a reload failed', err);
    }
    return result;
  }

  private watch(): void {
    const { engines, logger } = this.options;
    try {
      this.watcher = watch(engines.corpusDir, (_event, name) => {
        if (name && !String(name).toLowerCase().endsWith('.txt')) return;
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => {
          void this.reload('watch');
        }, this.options.debounceMs ?? 1500);
      });
      this.watcher.on('error', (err) => logger.warn(`corpus watch stopped: ${err.message}; use /reload`));
    } catch (err) {
      logger.warn(`cannot watch ${engines.corpusDir} (${(err as Error).message}); use /reload after adding pages`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlead();
    await this.reloading;
    await this.options.broadcaster.stop();
  }
}
