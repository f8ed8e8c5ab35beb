/**
 * Configuration from the environment, validated once at start. Every variable is listed, with a
 * comment, in `.env.example`. Messages never repeat the token or the webhook secret.
 */
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_CORPUS_DIR } from './core/paths.js';

export interface Config {
  /** absent: the local chat in the terminal */
  botToken?: string;
  /** public HTTPS address Telegram posts updates to; absent: long polling */
  webhookUrl?: string;
  webhookSecret?: string;
  port: number;
  /** the interface the webhook server listens on (an address or a host name); absent: all interfaces */
  host?: string;
  /** another Bot API server (self-hosted, or a local one in tests) */
  telegramApiRoot?: string;
  corpusDir: string;
  dataDir: string;
  /** PostgreSQL shared by several bot processes; absent: the files in dataDir, one process */
  databaseUrl?: string;
  adminIds: number[];
  /** broadcast messages a second, overall */
  broadcastRate: number;
  /** seconds a getUpdates long poll waits for updates at the Bot API */
  pollTimeout: number;
  /** seconds any Bot API call may take (a long poll: this beyond its own wait) before it is given up and retried */
  apiTimeout: number;
  /** seconds from SIGTERM or SIGINT to the exit, whatever is still in flight */
  stopTimeout: number;
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: string };

const TOKEN = /^\d{5,16}:[A-Za-z0-9_-]{30,64}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads and checks the configuration; the error is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const fail = (error: string): ConfigResult => ({ ok: false, error });

  const botToken = get('BOT_TOKEN');
  if (botToken !== undefined && !TOKEN.test(botToken)) {
    return fail('BOT_TOKEN is malformed: expected the token @BotFather gave, like 123456789:AAE…(digits, a colon, 30+ letters)');
  }

  const portText = get('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`PORT must be a number from 1 to 65535, not "${portText}"`);

  // an IPv6 address may come in brackets, as in a URL
  const hostText = get('HOST');
  const host = hostText?.replace(/^\[(.*)\]$/, '$1');
  if (host !== undefined && !isIP(host) && !HOST_NAME.test(host)) {
    return fail(`HOST must be an address or a host name to listen on (e.g. 0.0.0.0, ::, 127.0.0.1, localhost), not "${hostText}"`);
  }

  const webhookUrl = get('WEBHOOK_URL');
  const webhookSecret = get('WEBHOOK_SECRET');
  if (webhookUrl !== undefined) {
    if (!botToken) return fail('WEBHOOK_URL is set but BOT_TOKEN is not: a webhook needs the bot token');
    let url: URL;
    try {
      url = new URL(webhookUrl);
    } catch {
      return fail(`WEBHOOK_URL is not a URL: "${webhookUrl}"`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      return fail('WEBHOOK_URL must be an https:// address (Telegram only posts to HTTPS)');
    }
    if (!webhookSecret) return fail('WEBHOOK_SECRET is required with WEBHOOK_URL: 1–256 characters of A–Z a–z 0–9 _ -');
  }
  if (webhookSecret !== undefined && !SECRET.test(webhookSecret)) {
    return fail('WEBHOOK_SECRET may hold only A–Z a–z 0–9 _ - and be 1–256 characters long');
  }

  const telegramApiRoot = get('TELEGRAM_API_ROOT');
  if (telegramApiRoot !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(telegramApiRoot).protocol);
    } catch {
      /* not a URL */
    }
    if (!ok) return fail(`TELEGRAM_API_ROOT must be an http(s) URL, not "${telegramApiRoot}"`);
  }

  // never repeated in a message: it may hold a password
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(databaseUrl);
    } catch {
      /* not a URL */
    }
    if (!url || !/^postgres(ql)?:$/.test(url.protocol) || !url.hostname) {
      return fail('DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/database');
    }
  }

  const adminText = get('ADMIN_IDS') ?? '';
  const adminParts = adminText.split(/[,\s]+/).filter(Boolean);
  if (adminParts.some((p) => !/^-?\d{1,16}$/.test(p)))
    return fail(`ADMIN_IDS must be Telegram user ids separated by commas, not "${adminText}"`);

  const rateText = get('BROADCAST_RATE') ?? '25';
  const broadcastRate = Number(rateText);
  if (!(broadcastRate > 0 && broadcastRate <= 1000))
    return fail(`BROADCAST_RATE must be messages a second, above 0 and at most 1000, not "${rateText}"`);

  const seconds = (name: string, fallback: string, min: number, max: number, integer = false) => {
    const text = get(name) ?? fallback;
    const value = Number(text);
    const ok = /^\d+(\.\d+)?$/.test(text) && value >= min && value <= max && (!integer || Number.isInteger(value));
    return ok ? value : `${name} must be ${integer ? 'whole ' : ''}seconds from ${min} to ${max}, not "${text}"`;
  };
  // Telegram holds a long poll for at most 50 s
  const pollTimeout = seconds('POLL_TIMEOUT', '25', 1, 50, true);
  if (typeof pollTimeout === 'string') return fail(pollTimeout);
  const apiTimeout = seconds('API_TIMEOUT', '15', 1, 300);
  if (typeof apiTimeout === 'string') return fail(apiTimeout);
  const stopTimeout = seconds('STOP_TIMEOUT', '5', 0.1, 300);
  if (typeof stopTimeout === 'string') return fail(stopTimeout);

  const corpusDir = resolve(get('CORPUS_DIR') ?? DEFAULT_CORPUS_DIR);
  let corpusProblem: string | undefined;
  try {
    if (!statSync(corpusDir).isDirectory()) corpusProblem = 'is not a folder';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    corpusProblem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
  }
  if (corpusProblem) return fail(`CORPUS_DIR must be the folder of pages: ${corpusDir} ${corpusProblem}`);

  return {
    ok: true,
    value: {
      botToken,
      webhookUrl,
      webhookSecret,
      port,
      host,
      telegramApiRoot,
      corpusDir,
      dataDir: resolve(get('DATA_DIR') ?? 'data'),
      databaseUrl,
      adminIds: adminParts.map(Number),
      broadcastRate,
      pollTimeout,
      apiTimeout,
      stopTimeout,
    },
  };
}

/**
 * Reads a `.env` file into the environment with Node's own loader (KEY=value lines, # comments,
 * quotes, `export`); a variable already set wins over the file. An empty path or a missing file
 * sets nothing; a file that cannot be read throws.
 */
export function loadEnvFile(path: string): void {
  if (!path) return;
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
