/**
 * Puts a telegraf client's messages under the shared rate limiter. Every telegraf method
 * (ctx.reply, telegram.sendMessage, editMessageText …) goes through the client's public
 * `callApi(method, payload, { signal })`; the client gets its own `callApi` that first waits for a
 * slot in its lane, then calls the one it had. Only calls that post or change a message wait: the
 * rest (getUpdates, answerCallbackQuery, getChatMember …) pass straight through.
 *
 * A 429 pauses the whole limiter for its retry_after, and a short one is waited out and the call
 * made once more, so the person still gets the reply.
 */
import type { Telegram } from 'telegraf';
import type { Lane, RateLimiter } from './rate-limiter.js';
import { classify } from './telegram-errors.js';

/** Bot API methods that post or change a message in a chat: what Telegram's flood limits count. */
const MESSAGE_METHOD = /^(send(?!ChatAction$)|copyMessage|forwardMessage|editMessage|stopPoll$)/;
/** A retry_after longer than this is not waited out for a reply: the call fails with the 429. */
const MAX_RETRY_WAIT_MS = 10_000;

type CallApi = Telegram['callApi'];

/** Makes this client's message calls wait for the limiter, in the given lane. */
export function limitTelegram(telegram: Telegram, limiter: RateLimiter, lane: Lane): void {
  const inner: CallApi = telegram.callApi;
  const callApi = async function (this: Telegram, ...args: Parameters<CallApi>) {
    const [method, payload, options] = args;
    if (!MESSAGE_METHOD.test(method)) return inner.apply(this, args);
    const chat = (payload as { chat_id?: unknown }).chat_id;
    const chatId = typeof chat === 'number' ? chat : undefined;
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(chatId, { lane, signal: options?.signal as AbortSignal | undefined });
      try {
        return await inner.apply(this, args);
      } catch (err) {
        const verdict = classify(err);
        if (typeof verdict !== 'object') throw err;
        limiter.pause(verdict.retryAfterMs);
        if (attempt >= 2 || verdict.retryAfterMs > MAX_RETRY_WAIT_MS) throw err;
      }
    }
  };
  telegram.callApi = callApi as CallApi;
}
