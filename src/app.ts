/**
 * The application, wired in one place: the engine over the corpus folder; without a bot token, the
 * local chat in the terminal; with one, the store, the broadcaster, the newsroom and the Telegram
 * bot around it, served by long polling or by the webhook server of webhook.ts (secret token
 * checked on every request, GET and HEAD /healthz for the host's health checks). SIGINT and
 * SIGTERM stop it gracefully.
 */
import { Telegram } from 'telegraf';
import { ApiLink, apiAgent, connect, isOutage, poll, retrying, statusOf, useAgent, withTimeouts } from './bot-api.js';
import { ADMIN_MENU, COMMANDS, createBot } from './bot/create-bot.js';
import { toHtmlMessages } from './bot/format.js';
import { runTerminalChat } from './cli/terminal-chat.js';
import { Cluster } from './cluster/index.js';
import type { Config } from './config.js';
import { createEngine, type Engine } from './core/engine.js';
import { Broadcaster } from './delivery/broadcaster.js';
import { RateLimiter, realClock } from './delivery/rate-limiter.js';
import { createLogger, redact } from './logger.js';
import { EngineHolder } from './newsroom/engine-holder.js';
import { broadcastProgressText } from './newsroom/messages.js';
import { Newsroom } from './newsroom/newsroom.js';
import { openStore, type Store } from './store/index.js';
import { acquireDataDirLock } from './store/lock.js';
import { startWebhookServer, type WebhookServer } from './webhook.js';

/** At most one edit of a broadcast's progress message in this time. */
const PROGRESS_EDIT_MS = 2000;
/** Of STOP_TIMEOUT, the part kept for the exit itself (the lock removed, the process ended). */
const EXIT_RESERVE_MS = 500;

export async function runApp(config: Config): Promise<void> {
  let engine: Engine;
  try {
    engine = createEngine({ corpusDir: config.corpusDir });
  } catch (err) {
    // a corpus folder that cannot be read: one line, like a bad setting
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  for (const w of engine.warnings) process.stderr.write(`warning: ${w}\n`);
  if (!config.botToken) {
    process.stderr.write(
      'BOT_TOKEN is not set: starting the local chat. To connect to Telegram, create a bot with @BotFather,\n' +
        'then run BOT_TOKEN=<token> npm start (see README, "Running on Telegram").\n\n',
    );
    await runTerminalChat(engine, process.stdin, process.stdout);
    return;
  }
  await runTelegram(engine, config as Config & { botToken: string });
}

async function runTelegram(engine: Engine, config: Config & { botToken: string }): Promise<void> {
  const secrets = [config.botToken, config.webhookSecret, passwordOf(config.databaseUrl)];
  const logger = createLogger(secrets);
  const fail = (message: string): never => {
    process.stderr.write(`bot: ${redact(message, secrets)}\n`);
    process.exit(1);
  };

  const refusal = (err: unknown) =>
    statusOf(err) === 401
      ? 'Telegram rejected BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you'
      : statusOf(err) === 404
        ? 'the Bot API answered 404 Not Found: check BOT_TOKEN, and TELEGRAM_API_ROOT if it is set'
        : String((err as Error).message ?? err);

  // SIGINT and SIGTERM stop the process within STOP_TIMEOUT from here on, whatever is in flight
  // (waiting for the data folder or the API, a poll, a broadcast waiting out a 429). A broadcast cut
  // off resumes from its last checkpoint after the restart, so what was not confirmed sent is sent then.
  const running = new AbortController();
  let stopping = false;
  let webhook: WebhookServer | undefined;
  let polling: Promise<void> | undefined;
  /** what stop() closes, the last started first */
  const closers: Array<() => Promise<void>> = [];
  /** exit status 0 for a stop asked for (a signal), 1 for one forced on the process */
  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: stopping`);
    const budget = config.stopTimeout * 1000;
    setTimeout(
      () => {
        logger.warn(`stopped at STOP_TIMEOUT (${config.stopTimeout} s) with work in flight; what was not sent goes out after the restart`);
        process.exit(exitCode);
      },
      Math.max(budget / 2, budget - EXIT_RESERVE_MS),
    );
    running.abort();
    try {
      await webhook?.stop(1_000);
      await polling?.catch(() => undefined);
      for (const close of closers) await close();
    } catch (err) {
      logger.error('stopping', err);
    }
    process.exit(exitCode); // the data folder's lock goes with the process
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  // the embedded store: one process per data folder; wait for one that is stopping, or for the lock
  // of one killed to go stale. With DATABASE_URL the processes share PostgreSQL instead.
  if (!config.databaseUrl) {
    await acquireDataDirLock(config.dataDir, {
      logger,
      onCompromised: (err) => {
        logger.error(`the data folder's lock was lost (${err.message}): stopping, so that one process writes to it`);
        void stop('lock lost', 1);
      },
    }).catch((err: Error) => fail(err.message));
  }
  const store: Store = await openStore(config.dataDir, logger, { databaseUrl: config.databaseUrl }).catch((err: Error) =>
    fail(err.message),
  );
  if (store.kind === 'postgres') logger.info('store: PostgreSQL (DATABASE_URL)');
  closers.unshift(() => store.close());
  const engines = new EngineHolder(engine, config.corpusDir);

  // every Bot API call has a time limit, idle connections are not kept beyond IDLE_SOCKET_MS, and
  // the API's loss and return are logged (bot-api.ts)
  const link = new ApiLink(logger);
  const limits = { apiTimeoutMs: config.apiTimeout * 1000, link };
  const agent = apiAgent();
  const prepareClient = (client: Telegram) => withTimeouts(useAgent(client, agent), limits);
  // messages the application sends on its own (broadcasts, progress, notices to the newsroom)
  const telegram = prepareClient(
    new Telegram(config.botToken, {
      webhookReply: false,
      ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}),
    }),
  );
  // several workers on one database (DATABASE_URL): broadcasts split between them, one send rate for
  // all, one leader for the newsroom's jobs (src/cluster/)
  const cluster =
    store.kind === 'postgres' && store.pool && config.databaseUrl
      ? new Cluster({ pool: store.pool, connectionString: config.databaseUrl, rate: config.broadcastRate, logger })
      : undefined;
  // every message of the bot goes through this one limiter: replies to people (createBot) ahead of
  // broadcasts (the broadcaster); progress edits and notices are for an admin, so replies too
  const limiter = new RateLimiter(config.broadcastRate, realClock, cluster?.sharedRate);
  const lastEdit = new Map<string, number>();
  const broadcaster = new Broadcaster({
    broadcasts: store.broadcasts,
    subscribers: store.subscribers,
    logger,
    limiter,
    ...(cluster ? { claims: cluster.claims } : {}),
    send: (chatId, html) => telegram.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }),
    onProgress: async (job) => {
      if (!job.progress) return;
      const done = job.status === 'done';
      if (!done && Date.now() - (lastEdit.get(job.id) ?? 0) < PROGRESS_EDIT_MS) return;
      lastEdit.set(job.id, Date.now());
      await limiter.acquire(job.progress.chatId, { lane: 'reply' });
      await telegram.editMessageText(job.progress.chatId, job.progress.messageId, undefined, broadcastProgressText(job));
    },
  });
  const notifyAdmins = async (text: string) => {
    for (const id of config.adminIds) {
      for (const m of toHtmlMessages(text)) {
        await limiter.acquire(id, { lane: 'reply' });
        await telegram
          .sendMessage(id, m, { parse_mode: 'HTML' })
          .catch((err) => logger.warn(`could not tell admin ${id}: ${(err as Error).message}`));
      }
    }
  };
  const newsroom = new Newsroom({ engines, store, broadcaster, logger, notifyAdmins, ...(cluster ? { cluster } : {}) });
  closers.unshift(() => newsroom.stop());
  if (cluster) closers.unshift(() => cluster.stop());
  const { bot } = createBot({
    token: config.botToken,
    engines,
    logger,
    apiRoot: config.telegramApiRoot,
    store,
    newsroom,
    broadcaster,
    adminIds: config.adminIds,
    limiter,
    prepareClient,
  });
  const startedAt = Date.now();

  // what /healthz answers
  const health = () => ({
    ok: true,
    articles: engines.current.knowledge.articles.length,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
  });

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

  // the bot's identity: an API that does not answer is waited for (logged), a refused token is final
  try {
    bot.botInfo = await connect(bot.telegram, { signal: running.signal, logger });
  } catch (err) {
    if (stopping) return;
    fail(refusal(err));
  }

  // announcements, unfinished broadcasts, reminders and the corpus watch start before updates flow
  try {
    await newsroom.start();
    await cluster?.start({ newsroom, broadcaster });
  } catch (err) {
    logger.error('newsroom start failed', err);
  }

  try {
    if (config.webhookUrl) {
      const url = new URL(config.webhookUrl);
      const path = url.pathname === '/' ? '/telegram' : url.pathname;
      const secretToken = config.webhookSecret ?? fail('WEBHOOK_SECRET is required with WEBHOOK_URL');
      onLaunch();
      webhook = await startWebhookServer({
        path,
        secretToken,
        port: config.port,
        host: config.host,
        logger,
        health,
        onUpdate: (update, res) => bot.handleUpdate(update, res),
      });
      logger.info(`webhook listening on ${config.host ?? 'all interfaces'}, port ${webhook.port}, path ${path}`);
      // an outage is waited out; an answer that refuses the address or the token is final
      await retrying('setWebhook', () => bot.telegram.setWebhook(`${url.origin}${path}`, { secret_token: secretToken }), {
        signal: running.signal,
        logger,
        fatal: (err) => !isOutage(err),
      });
    } else {
      logger.info('long polling');
      onLaunch();
      await retrying('deleteWebhook', () => bot.telegram.deleteWebhook(), { signal: running.signal, logger });
      polling = poll(bot, { pollTimeout: config.pollTimeout, handlerWaitMs: config.apiTimeout * 1000, signal: running.signal, logger });
      await polling;
    }
  } catch (err) {
    if (stopping) return;
    fail(refusal(err));
  }
}

/** The password in a database URL, to keep it out of the logs. */
function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
