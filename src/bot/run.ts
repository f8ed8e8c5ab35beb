/**
 * Runs the bot against Telegram: long polling by default, a webhook server when WEBHOOK_URL is set
 * (secret token checked on every request, GET /healthz for the host's health checks), with the
 * store, the broadcaster and the newsroom around it. SIGINT and SIGTERM stop it gracefully.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.js';
import type { Config } from '../config.js';
import { Broadcaster } from '../delivery/broadcaster.js';
import { createLogger, redact } from '../logger.js';
import { EngineHolder } from '../newsroom/engine-holder.js';
import { Newsroom } from '../newsroom/newsroom.js';
import { openStore } from '../store/index.js';
import { ADMIN_MENU, COMMANDS, createBot } from './create-bot.js';
import { toHtmlMessages } from './format.js';

/** At most one edit of a progress message in this time. */
const PROGRESS_EDIT_MS = 2000;

export async function runBot(engine: Engine, config: Config): Promise<void> {
  const logger = createLogger([config.botToken, config.webhookSecret]);
  const fail = (message: string): never => {
    process.stderr.write(`bot: ${redact(message, [config.botToken, config.webhookSecret])}\n`);
    process.exit(1);
  };

  const store = await openStore(config.dataDir, logger).catch((err: Error) => fail(err.message));
  const engines = new EngineHolder(engine, config.corpusDir);
  // the bot needs the broadcaster (admins broadcast) and the broadcaster sends through the bot
  let send: (chatId: number, html: string) => Promise<unknown> = async () => { throw new Error('bot not ready'); };
  const lastEdit = new Map<string, number>();
  const broadcaster = new Broadcaster({
    broadcasts: store.broadcasts, subscribers: store.subscribers, logger, rate: config.broadcastRate,
    send: (chatId, html) => send(chatId, html),
    onProgress: async (job) => {
      if (!job.progress) return;
      const done = job.status === 'done';
      if (!done && Date.now() - (lastEdit.get(job.id) ?? 0) < PROGRESS_EDIT_MS) return;
      lastEdit.set(job.id, Date.now());
      const counts = `${job.delivered.length + job.blocked.length + job.failed.length}/${job.recipients.length}(送达 ${job.delivered.length},已屏蔽 ${job.blocked.length},失败 ${job.failed.length})`;
      await bot.telegram.editMessageText(job.progress.chatId, job.progress.messageId, undefined, done ? `群发完成:${counts}` : `正在群发:${counts}`);
    },
  });
  const notifyAdmins = async (text: string) => {
    for (const id of config.adminIds) {
      for (const m of toHtmlMessages(text)) {
        await bot.telegram.sendMessage(id, m, { parse_mode: 'HTML' }).catch((err) => logger.warn(`could not tell admin ${id}: ${(err as Error).message}`));
      }
    }
  };
  const newsroom = new Newsroom({ engines, store, broadcaster, logger, notifyAdmins });
  const { bot } = createBot({
    token: config.botToken!, engine: engines, logger, apiRoot: config.telegramApiRoot,
    store, newsroom, broadcaster, adminIds: config.adminIds,
  });
  send = (chatId, html) => bot.telegram.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  const startedAt = Date.now();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    try { bot.stop(signal); } catch { /* not running yet */ }
    await newsroom.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const health = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, articles: engines.current.knowledge.articles.length, uptime_s: Math.round((Date.now() - startedAt) / 1000) }));
      return;
    }
    res.writeHead(404).end();
  };

  const onLaunch = () => {
    logger.info(`connected as @${bot.botInfo?.username}; ${engines.current.knowledge.articles.length} articles`);
    void (async () => {
      try {
        await bot.telegram.setMyCommands(COMMANDS);
        for (const id of config.adminIds) {
          await bot.telegram.setMyCommands(ADMIN_MENU, { scope: { type: 'chat', chat_id: id } }).catch(() => undefined);
        }
      } catch (err) {
        logger.warn(`setMyCommands failed: ${(err as Error).message}`);
      }
    })();
  };

  // announcements, unfinished broadcasts, reminders and the corpus watch start before updates flow
  try {
    await newsroom.start();
  } catch (err) {
    logger.error('newsroom start failed', err);
  }

  try {
    if (config.webhookUrl) {
      const url = new URL(config.webhookUrl);
      logger.info(`webhook on port ${config.port}, path ${url.pathname}`);
      await bot.launch({
        webhook: {
          domain: url.origin, path: url.pathname === '/' ? '/telegram' : url.pathname,
          port: config.port, secretToken: config.webhookSecret, cb: health,
        },
      }, onLaunch);
    } else {
      logger.info('long polling');
      await bot.launch(onLaunch);
    }
  } catch (err) {
    if (stopping) return;
    const e = err as { response?: { error_code?: number } };
    fail(e.response?.error_code === 401
      ? 'Telegram rejected BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you'
      : String((err as Error).message ?? err));
  }
}
