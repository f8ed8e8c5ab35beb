/**
 * The way to the Bot API, made to ride out connections that stall or drop. A connection the API
 * (or a NAT or firewall on the way) accepts and never answers would otherwise hold a call for
 * telegraf's own limit of 500 s, so:
 *
 * - every call through a client given `withTimeouts` is aborted after `apiTimeoutMs` (a getUpdates
 *   long poll after its own wait plus that), with an error that reads as "no answer" (`ETIMEDOUT`);
 * - `connect` asks getMe until the API answers, with backoff, and only a refused token is final;
 * - `poll` is the long-polling loop: telegraf's own (bot.launch) waits a fixed 50 s per poll and
 *   5 s between failures, with no way to bound a call, so this one reads updates with the same
 *   public calls (getUpdates with an offset, bot.handleUpdate) under the timeouts above, and backs
 *   off from 1 s to at most 10 s after a failure. After the API is back, polling resumes within one
 *   call's limit plus 10 s (25 + 15 + 10 s with the default settings);
 * - losing the API (a call without an answer, or a 5xx) and regaining it are logged once each way;
 * - a kept-alive connection to an https API that has been idle for IDLE_SOCKET_MS is closed rather
 *   than used again: a NAT or firewall forgets an idle connection without a word, and a call sent on
 *   it would only end at its time limit (`useAgent`; telegraf uses no agent for an http:// root).
 */
import { Agent } from 'node:https';
import type { Context, Telegraf, Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Logger } from './logger.js';

type CallApi = Telegram['callApi'];
type CallOptions = NonNullable<Parameters<CallApi>[2]>;

/** A Bot API call that got no answer in time. */
export class BotApiTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(method: string, ms: number) {
    super(`Bot API ${method}: no answer within ${Math.round(ms / 100) / 10} s`);
    this.name = 'BotApiTimeout';
  }
}

/** The HTTP status of a Bot API error, if the API answered. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { response?: { error_code?: unknown } };
  return typeof e?.response?.error_code === 'number' ? e.response.error_code : undefined;
}

/** No usable answer: a timeout, a connection refused or reset, a 5xx. */
export function isOutage(err: unknown): boolean {
  const status = statusOf(err);
  return status === undefined ? (err as Error)?.name !== 'AbortError' : status >= 500;
}

/**
 * Whether the Bot API answers, as the calls find it. A call counts only if it started after the last
 * change, so a call stalled before the API came back does not report it lost again, nor one that
 * was answered just before the loss report it back.
 */
export class ApiLink {
  private lostAt?: number;
  private epoch = 0;

  constructor(private readonly logger: Logger) {}

  /** A mark to pass to `answered` or `failed` when the call ends. */
  begin(): number {
    return this.epoch;
  }

  get up(): boolean {
    return this.lostAt === undefined;
  }

  answered(mark: number): void {
    if (mark !== this.epoch || this.lostAt === undefined) return;
    this.logger.info(`Bot API reachable again (after ${Math.round((Date.now() - this.lostAt) / 1000)} s)`);
    this.lostAt = undefined;
    this.epoch++;
  }

  failed(mark: number, err: unknown): void {
    if (mark !== this.epoch || this.lostAt !== undefined || !isOutage(err)) return;
    this.logger.warn(`Bot API unreachable (${(err as Error).message}); retrying with backoff`);
    this.lostAt = Date.now();
    this.epoch++;
  }
}

/**
 * Gives every call of this client a time limit and reports its outcome to the link. The client's
 * `callApi` is wrapped in place, so the client's other methods (sendMessage …) and any later wrapper
 * of callApi go through it.
 */
export function withTimeouts(telegram: Telegram, { apiTimeoutMs, link }: { apiTimeoutMs: number; link: ApiLink }): Telegram {
  const inner: CallApi = telegram.callApi;
  const callApi = async function (this: Telegram, method: string, payload: object, options: CallOptions = {}) {
    const waitS = method === 'getUpdates' ? Number((payload as { timeout?: unknown }).timeout ?? 0) : 0;
    const ms = waitS * 1000 + apiTimeoutMs;
    const controller = new AbortController();
    const outer = options.signal as AbortSignal | undefined;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    const mark = link.begin();
    try {
      const result = await (inner as (m: string, p: object, o: CallOptions) => Promise<unknown>).call(this, method, payload, {
        ...options,
        signal: controller.signal as unknown as CallOptions['signal'],
      });
      link.answered(mark);
      return result;
    } catch (err) {
      const error = timedOut ? new BotApiTimeout(method, ms) : err;
      if (statusOf(error) !== undefined && !isOutage(error)) link.answered(mark);
      else link.failed(mark, error);
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  };
  telegram.callApi = callApi as CallApi;
  return telegram;
}

/** A kept-alive connection idle this long is closed, not used again. */
export const IDLE_SOCKET_MS = 30_000;

/** Connections for the Bot API: kept alive as telegraf's own are, and closed after IDLE_SOCKET_MS idle. */
export function apiAgent(): Agent {
  return new Agent({ keepAlive: true, keepAliveMsecs: 10_000, timeout: IDLE_SOCKET_MS });
}

/** Gives a client (and the clients telegraf makes from its options, one per update) this agent for an https API. */
export function useAgent(telegram: Telegram, agent: Agent): Telegram {
  if (telegram.options.apiRoot.startsWith('https:')) telegram.options.agent = agent;
  return telegram;
}

/** Waits from 1 s, doubling, up to 10 s between attempts. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly firstMs = 1000,
    private readonly maxMs = 10_000,
  ) {}
  reset(): void {
    this.attempt = 0;
  }
  next(): number {
    return Math.min(this.maxMs, this.firstMs * 2 ** this.attempt++);
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A Bot API answer that no retry will change: the token refused (401) or unknown (404). */
export function isRefusal(err: unknown): boolean {
  const status = statusOf(err);
  return status === 401 || status === 404;
}

/**
 * Calls `fn` until it succeeds, waiting with backoff between failures; the first failure that is not
 * an outage (a 429, a 409) is logged.
 * Throws what `fatal` picks out at once, and the last error when the signal aborts.
 */
export async function retrying<T>(
  what: string,
  fn: () => Promise<T>,
  { signal, logger, fatal = isRefusal }: { signal: AbortSignal; logger: Logger; fatal?: (err: unknown) => boolean },
): Promise<T> {
  const backoff = new Backoff();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (fatal(err) || signal.aborted) throw err;
      const wait = backoff.next();
      // an outage is logged by the link, once; anything else when it starts
      if (attempt === 1 && !isOutage(err)) logger.warn(`${what} failed (${(err as Error).message}); trying again with backoff`);
      await sleep(wait, signal);
      if (signal.aborted) throw err;
    }
  }
}

/** The bot's identity from getMe, asked until the API answers. */
export function connect(telegram: Telegram, { signal, logger }: { signal: AbortSignal; logger: Logger }): Promise<UserFromGetMe> {
  return retrying('connecting to the Bot API (getMe)', () => telegram.getMe(), { signal, logger });
}

export interface PollOptions {
  /** seconds a getUpdates call waits at the API for updates */
  pollTimeout: number;
  /** how long the loop waits for a batch's handlers before polling on (they go on in the background) */
  handlerWaitMs: number;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Long polling until the signal aborts: reads updates after the last one handled and hands each to
 * bot.handleUpdate. Failed polls are retried with backoff; only a refused token ends the loop (it
 * throws). Resolves once polling has stopped, the handlers in flight are done and the handled updates
 * are confirmed to the API (the stop bounds how long that may take).
 */
export async function poll(bot: Telegraf<Context>, { pollTimeout, handlerWaitMs, signal, logger }: PollOptions): Promise<void> {
  const telegram = bot.telegram;
  const handling = new Set<Promise<void>>();
  const backoff = new Backoff();
  let offset = 0;
  let confirmed = 0;
  let failures = 0;
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await telegram.callApi(
        'getUpdates',
        { offset, timeout: pollTimeout, allowed_updates: [] },
        { signal: signal as unknown as CallOptions['signal'] },
      );
      confirmed = offset;
      backoff.reset();
      failures = 0;
    } catch (err) {
      if (signal.aborted) break;
      if (isRefusal(err)) throw err;
      // the link logs the API's loss and return; other refusals (409, 429) get a line when they start
      if (++failures === 1 && !isOutage(err)) logger.warn(`getUpdates failed (${(err as Error).message}); polling again with backoff`);
      const retryAfter = (err as { parameters?: { retry_after?: number } }).parameters?.retry_after ?? 0;
      await sleep(Math.max(backoff.next(), retryAfter * 1000), signal);
      continue;
    }
    const batch = updates.map((update) => {
      const p: Promise<void> = bot
        .handleUpdate(update)
        .catch((err) => logger.error(`update ${update.update_id} failed`, err))
        .finally(() => handling.delete(p));
      handling.add(p);
      return p;
    });
    const last = updates[updates.length - 1];
    if (last) offset = last.update_id + 1;
    // like telegraf, wait for the batch before the next poll, but not beyond handlerWaitMs: a handler
    // stuck on a call must not keep the others from being read
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(batch), new Promise((resolve) => (timer = setTimeout(resolve, handlerWaitMs)))]);
    clearTimeout(timer);
  }
  await Promise.all(handling);
  // confirm what was handled, so that a restart does not get it again
  if (offset > confirmed) {
    await telegram
      .callApi('getUpdates', { offset, limit: 1, timeout: 0 })
      .catch((err) => logger.warn(`updates not confirmed: ${(err as Error).message}`));
  }
}
