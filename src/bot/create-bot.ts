/**
 * The Telegram bot: a thin telegraf layer over the engine. Features are composers, wired here in
 * order (fallback last); services come in, nothing is global.
 */
import { type Context, Telegraf, type Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { Engine } from '../core/engine.js';
import type { Broadcaster } from '../delivery/broadcaster.js';
import { limitTelegram } from '../delivery/limit-telegram.js';
import type { RateLimiter } from '../delivery/rate-limiter.js';
import type { Logger } from '../logger.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { MemoryConversations } from '../store/conversations.js';
import type { Store, UpdateStore } from '../store/index.js';
import { MemoryUpdates } from '../store/updates.js';
import { adminFeature, ADMIN_COMMANDS } from './features/admin.js';
import { subscribeFeature } from './features/subscribe.js';
import { SuggestionIds, type BotServices } from './context.js';
import { askFeature } from './features/ask.js';
import { fallbackFeature } from './features/fallback.js';
import { groupsFeature } from './features/groups.js';
import { inlineFeature } from './features/inline.js';
import { ratesFeature } from './features/rates.js';
import { scheduleFeature } from './features/schedule.js';
import { startFeature } from './features/start.js';

export interface BotOptions {
  token: string;
  /** the engine in service (the newsroom swaps in a new one when the corpus changes) */
  engines: { readonly current: Engine };
  logger: Logger;
  store?: Store;
  newsroom?: Newsroom;
  broadcaster?: Broadcaster;
  adminIds?: number[];
  /** the limiter every message goes through; the bot's replies take its `reply` lane, ahead of broadcasts */
  limiter?: RateLimiter;
  /** applied first to every client the bot calls the Bot API with (the app's time limit on each call) */
  prepareClient?: (telegram: Telegram) => void;
  /** another Bot API server */
  apiRoot?: string;
  /** preset identity, for tests that feed updates without a server */
  botInfo?: UserFromGetMe;
}

/** The command menu registered with setMyCommands. */
export const COMMANDS = [
  { command: 'start', description: '开始:我能回答什么' },
  { command: 'schedule', description: '下期“民生在线”的时间和单位' },
  { command: 'rates', description: '报道里的存款利率一览' },
  { command: 'subscribe', description: '订阅预告、提醒和新文章' },
  { command: 'unsubscribe', description: '退订' },
  { command: 'subscriptions', description: '我订阅了什么' },
  { command: 'ask', description: '提问(在群里用):/ask 问题' },
  { command: 'help', description: '帮助' },
];

/** The menu the newsroom staff see in their private chats with the bot. */
export const ADMIN_MENU = [...COMMANDS, ...ADMIN_COMMANDS];

/**
 * Handles each update once: Telegram re-sends an update when a webhook answer fails, possibly to
 * another worker. When the store cannot say (a database out of reach) the update is handled.
 */
function dedupe(updates: UpdateStore, logger: Logger) {
  return async (ctx: Context, next: () => Promise<void>) => {
    const id = ctx.update.update_id;
    let seen = false;
    try {
      seen = await updates.seen(id);
    } catch (err) {
      logger.warn(`update ${id}: not checked for a repeat (${(err as Error).message}); handled`);
    }
    if (!seen) return next();
  };
}

export function createBot(options: BotOptions): { bot: Telegraf<Context>; services: BotServices } {
  const { logger } = options;
  const { engines } = options;
  const bot = new Telegraf<Context>(options.token, {
    // every call goes to the Bot API, never in a webhook's HTTP answer, so each result is seen
    telegram: { webhookReply: false, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
    handlerTimeout: 60_000,
  });
  if (options.botInfo) bot.botInfo = options.botInfo;

  const services: BotServices = {
    get engine() {
      return engines.current;
    },
    logger,
    conversations: options.store?.conversations ?? new MemoryConversations(),
    updates: options.store?.updates ?? new MemoryUpdates(),
    suggestionIds: new SuggestionIds(engines.current.suggestionCatalog()),
    store: options.store,
    newsroom: options.newsroom,
    broadcaster: options.broadcaster,
    adminIds: options.adminIds ?? [],
  };

  // telegraf gives each update a client of its own (ctx.telegram): each is prepared (time limits) and
  // put under the limiter before any feature replies through it, and so is the bot's own client
  // (bot.telegram); a call waits for the limiter before its time limit starts
  const { limiter, prepareClient } = options;
  const prepare = (telegram: Telegram) => {
    prepareClient?.(telegram);
    if (limiter) limitTelegram(telegram, limiter, 'reply');
  };
  prepare(bot.telegram);
  if (limiter || prepareClient) {
    bot.use((ctx, next) => {
      prepare(ctx.telegram);
      return next();
    });
  }
  bot.use(dedupe(services.updates, logger));
  bot.use(startFeature(services));
  bot.use(scheduleFeature(services));
  bot.use(ratesFeature(services));
  bot.use(groupsFeature(services)); // before subscriptions, which take the membership changes too
  if (services.store) bot.use(subscribeFeature(services));
  bot.use(adminFeature(services));
  bot.use(inlineFeature(services));
  bot.use(askFeature(services));
  bot.use(fallbackFeature(COMMANDS));

  bot.catch(async (err, ctx) => {
    if (apiUnreachable(err)) {
      // the Bot API's loss is logged where calls are made; a reply to it would not get through either
      logger.warn(`update ${ctx.update.update_id}: the reply did not reach Telegram (${(err as Error).message})`);
      return;
    }
    logger.error(`update ${ctx.update.update_id} failed`, err);
    try {
      if (ctx.chat?.type === 'private') await ctx.reply('抱歉,我这边出了点问题,请稍后再试。');
    } catch {
      /* the chat may be gone; the error is logged */
    }
  });
  return { bot, services };
}

/** An error on the way to the Bot API (no answer in time, a connection refused or reset, a 5xx), not a fault of the bot's. */
function apiUnreachable(err: unknown): boolean {
  const e = err as { name?: unknown; response?: { error_code?: unknown } } | undefined;
  const status = e?.response?.error_code;
  if (typeof status === 'number') return status >= 500;
  return e?.name === 'BotApiTimeout' || e?.name === 'FetchError';
}
