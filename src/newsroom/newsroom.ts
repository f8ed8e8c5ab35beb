/**
 * The paper's side of the bot: the corpus folder is watched (and reloaded on /reload), new previews
 * and articles are announced, reminders are kept on schedule, and the admins hear what went wrong.
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
}

export class Newsroom {
  readonly announcer: Announcer;
  readonly reminders: ReminderScheduler;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private reloading: Promise<ReloadResult> | undefined;

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

  /** Announces what is new, resumes unfinished broadcasts, plans reminders, watches the corpus. */
  async start(): Promise<void> {
    await this.announcer.announce(this.options.engines.current);
    this.options.broadcaster.start();
    await this.reminders.start();
    this.watch();
  }

  /** Rebuilds the index from the corpus folder; on success announces what is new. One at a time. */
  reload(trigger: 'watch' | 'admin'): Promise<ReloadResult> {
    this.reloading ??= this.doReload(trigger).finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(trigger: 'watch' | 'admin'): Promise<ReloadResult> {
    const { engines, logger } = this.options;
    const result = engines.reload();
    if (!result.ok) {
      logger.warn(`corpus reload (${trigger}) refused: ${result.message}`);
      if (trigger === 'watch') await this.options.notifyAdmins(`⚠️ 语料更新失败\n${result.message}`);
      return result;
    }
    logger.info(`corpus reload (${trigger}): ${result.message}`);
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
    this.watcher?.close();
    if (this.debounce) clearTimeout(this.debounce);
    this.reminders.stop();
    await this.reloading;
    await this.options.broadcaster.stop();
  }
}
