/**
 * Runs the bot against Telegram: long polling by default, a webhook server when WEBHOOK_URL is set
 * (secret token checked on every request, GET /healthz for the host's health checks).
 * SIGINT and SIGTERM stop it gracefully.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.js';
import type { Config } from '../config.js';
import { createLogger, redact } from '../logger.js';
import { COMMANDS, createBot } from './create-bot.js';

export async function runBot(engine: Engine, config: Config): Promise<void> {
  const logger = createLogger([config.botToken, config.webhookSecret]);
  const { bot } = createBot({ token: config.botToken!, engine, logger, apiRoot: config.telegramApiRoot });
  const startedAt = Date.now();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    try { bot.stop(signal); } catch { /* not running yet */ }
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const health = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, articles: engine.knowledge.articles.length, uptime_s: Math.round((Date.now() - startedAt) / 1000) }));
      return;
    }
    res.writeHead(404).end();
  };

  try {
    const onLaunch = () => {
      logger.info(`connected as @${bot.botInfo?.username}; ${engine.knowledge.articles.length} articles`);
      bot.telegram.setMyCommands(COMMANDS).catch((err) => logger.warn(`setMyCommands failed: ${redact(String(err), [config.botToken])}`));
    };
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
    const e = err as { response?: { error_code?: number; description?: string } };
    const why = e.response?.error_code === 401
      ? 'Telegram rejected BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you'
      : redact(String((err as Error).message ?? err), [config.botToken, config.webhookSecret]);
    process.stderr.write(`bot: ${why}\n`);
    process.exit(1);
  }
}
