/**
 * Paces outgoing messages under Telegram's limits: a global rate (messages a second), at most one
 * message a second to one chat, and 20 a minute to one group. A 429 pauses everything for its
 * retry_after. Messages go out at even spacing on a fixed schedule (a timer that fires late does not
 * push the rest back), and a message never leaves within a second of the one `rate` messages
 * before it, so no one-second window ever holds more than the rate.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

const PER_CHAT_MS = 1000;
/** The window the rate is counted over, with a little room for the network's jitter. */
const WINDOW_MS = 1020;
const GROUP_WINDOW_MS = 60_000;
const GROUP_MAX = 20;

export class RateLimiter {
  private readonly interval: number;
  /** when the previous message was due (its slot on the schedule) */
  private slot = -Infinity;
  /** when the last `rate` messages left, oldest first (a ring) */
  private readonly sent: number[];
  private sentAt = 0;
  private pausedUntil = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly lastToChat = new Map<number, number>();
  private readonly groupSends = new Map<number, number[]>();

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(perSecond > 0)) throw new Error(`rate limiter: the rate must be above 0, not ${perSecond}`);
    this.interval = 1000 / perSecond;
    this.sent = new Array(Math.max(1, Math.floor(perSecond))).fill(-Infinity);
  }

  /** Pauses all sending until `ms` from now (Telegram's retry_after). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Resolves when a message to this chat may be sent; callers are released one at a time. */
  acquire(chatId: number): Promise<void> {
    const turn = this.chain.then(async () => {
      let at: number;
      for (;;) {
        const now = this.clock.now();
        // the next slot on the schedule; after an idle spell (or a lag of more than a slot) a fresh one
        let next = this.slot + this.interval;
        if (next < now - this.interval) next = now;
        at = Math.max(
          next,
          this.sent[this.sentAt]! + WINDOW_MS,
          this.pausedUntil,
          (this.lastToChat.get(chatId) ?? -Infinity) + PER_CHAT_MS,
        );
        if (chatId < 0) {
          const sends = this.groupSends.get(chatId) ?? [];
          if (sends.length >= GROUP_MAX) at = Math.max(at, sends[sends.length - GROUP_MAX]! + GROUP_WINDOW_MS);
        }
        if (at <= now) break;
        await this.clock.sleep(at - now);
      }
      const now = this.clock.now();
      this.slot = at;
      this.sent[this.sentAt] = now;
      this.sentAt = (this.sentAt + 1) % this.sent.length;
      this.lastToChat.set(chatId, now);
      if (this.lastToChat.size > 50_000) this.lastToChat.delete(this.lastToChat.keys().next().value!);
      if (chatId < 0) {
        const sends = this.groupSends.get(chatId) ?? [];
        sends.push(now);
        while (sends.length > GROUP_MAX) sends.shift();
        this.groupSends.set(chatId, sends);
      }
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}
