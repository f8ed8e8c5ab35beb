/**
 * Paces every message the bot sends under Telegram's limits: a global rate (messages a second), at
 * most one broadcast message a second to one chat, and 20 messages a minute to one group. A 429
 * pauses everything for its retry_after.
 *
 * Two lanes share the one rate: `reply` (an answer to a person, who is waiting) and `broadcast`
 * (announcements, reminders, the newsroom's messages). Whenever a slot comes up, the sender that may
 * go earliest goes; among those that may go now, replies first, then the rest in the order they
 * asked. A reply therefore waits at most for the message already leaving, however long the
 * broadcast queue is; a sender held back by its own chat's limit never holds up the others.
 *
 * Messages go out at even spacing on a fixed schedule (a timer that fires late does not push the
 * rest back), and a message never leaves within a second of the one `rate` messages before it, so
 * no one-second window ever holds more than the rate.
 *
 * Several processes sending for one bot share the rate through `SharedSlots` (see
 * cluster/shared-rate.ts): then a message also needs one of the send slots this process holds, and
 * leaves in it.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export type Lane = 'reply' | 'broadcast';

/** Send slots shared with the other processes of the bot: a message leaves only in a slot held here. */
export interface SharedSlots {
  /** the earliest slot held that is still usable at `from` (those no longer usable are dropped); undefined: none held */
  first(from: number): number | undefined;
  /** spends the slot at `at`, the one `first` returned */
  use(at: number): void;
  /** asks for slots for about `wanted` messages; resolves when held, or when it is worth asking again */
  refill(wanted: number): Promise<void>;
  /** pauses the other processes too (Telegram's retry_after) */
  pause(ms: number): void;
}

export interface AcquireOptions {
  /** `broadcast` unless said otherwise */
  lane?: Lane;
  /** gives up waiting (the promise rejects with the signal's reason) */
  signal?: AbortSignal;
}

const PER_CHAT_MS = 1000;
/** The window the rate is counted over, with a little room for the network's jitter. */
const WINDOW_MS = 1020;
const GROUP_WINDOW_MS = 60_000;
const GROUP_MAX = 20;
/** Waiters of a lane looked at for the next slot (the oldest ones). */
const SCAN = 64;
/** The longest the scheduler sleeps before looking again. */
const MAX_NAP_MS = 1000;

interface Waiter {
  chatId: number | undefined;
  lane: Lane;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RateLimiter {
  private readonly interval: number;
  /** when the previous message was due (its slot on the schedule) */
  private slot = -Infinity;
  /** when the last `rate` messages left, oldest first (a ring) */
  private readonly sent: number[];
  private sentAt = 0;
  private pausedUntil = 0;
  private readonly lastToChat = new Map<number, number>();
  private readonly groupSends = new Map<number, number[]>();
  private readonly waiting: Record<Lane, Waiter[]> = { reply: [], broadcast: [] };
  private pumping = false;
  private wake?: () => void;

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = realClock,
    /** the rate shared with other processes, in real time (the clock must be realClock) */
    private readonly shared?: SharedSlots,
  ) {
    if (!(perSecond > 0)) throw new Error(`rate limiter: the rate must be above 0, not ${perSecond}`);
    this.interval = 1000 / perSecond;
    this.sent = new Array(Math.max(1, Math.floor(perSecond))).fill(-Infinity);
  }

  /** Pauses all sending until `ms` from now (Telegram's retry_after). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.shared?.pause(ms);
    this.wake?.();
  }

  /** Senders waiting for a slot, by lane. */
  waitingCount(): Record<Lane, number> {
    return { reply: this.waiting.reply.length, broadcast: this.waiting.broadcast.length };
  }

  /**
   * Resolves when a message to this chat may be sent (`chatId` undefined: a message counted only
   * against the global rate, such as an edit of an inline message).
   */
  acquire(chatId: number | undefined, options: AcquireOptions = {}): Promise<void> {
    const { lane = 'broadcast', signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { chatId, lane, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const queue = this.waiting[lane];
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting[lane].push(waiter);
      this.wake?.();
      void this.pump();
    });
  }

  /** Releases waiters one at a time, each at its slot. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.reply.length || this.waiting.broadcast.length) {
        const now = this.clock.now();
        const { waiter, at: ready } = this.next(now);
        let at = ready;
        if (this.shared) {
          const slot = this.shared.first(Math.max(ready, now));
          if (slot === undefined) {
            await this.shared.refill(this.waiting.reply.length + this.waiting.broadcast.length);
            continue;
          }
          at = Math.max(ready, slot);
          if (at <= now) this.shared.use(slot);
        }
        if (at > now) {
          await this.nap(at - now);
          continue;
        }
        this.record(waiter.chatId, at, now);
        const queue = this.waiting[waiter.lane];
        queue.splice(queue.indexOf(waiter), 1);
        if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The waiter to release next and when: the earliest allowed, replies first among equals. */
  private next(now: number): { waiter: Waiter; at: number } {
    // the next slot on the schedule; after an idle spell (or a lag of more than a slot) a fresh one
    let slot = this.slot + this.interval;
    if (slot < now - this.interval) slot = now;
    const base = Math.max(slot, this.sent[this.sentAt]! + WINDOW_MS, this.pausedUntil);
    let best: Waiter | undefined;
    let bestAt = Infinity;
    for (const lane of ['reply', 'broadcast'] as const) {
      const queue = this.waiting[lane];
      for (let i = 0; i < queue.length && i < SCAN; i++) {
        const w = queue[i]!;
        const at = Math.max(base, this.chatReady(w));
        if (at < bestAt) {
          best = w;
          bestAt = at;
        }
        if (at <= base) break; // nobody later in this lane can go sooner
      }
      if (bestAt <= base) break; // a reply ready at the slot goes before any broadcast message
    }
    return { waiter: best!, at: bestAt };
  }

  /** The earliest a message to this waiter's chat may leave, by the chat's own limits. */
  private chatReady(w: Waiter): number {
    if (w.chatId === undefined) return -Infinity;
    // a person waiting for a reply may get a short burst; bulk messages keep to one a second
    let at = w.lane === 'broadcast' ? (this.lastToChat.get(w.chatId) ?? -Infinity) + PER_CHAT_MS : -Infinity;
    if (w.chatId < 0) {
      const sends = this.groupSends.get(w.chatId) ?? [];
      if (sends.length >= GROUP_MAX) at = Math.max(at, sends[sends.length - GROUP_MAX]! + GROUP_WINDOW_MS);
    }
    return at;
  }

  private record(chatId: number | undefined, slot: number, now: number): void {
    this.slot = slot;
    this.sent[this.sentAt] = now;
    this.sentAt = (this.sentAt + 1) % this.sent.length;
    if (chatId === undefined) return;
    this.lastToChat.delete(chatId);
    this.lastToChat.set(chatId, now);
    if (this.lastToChat.size > 50_000) this.lastToChat.delete(this.lastToChat.keys().next().value!);
    if (chatId < 0) {
      const sends = this.groupSends.get(chatId) ?? [];
      sends.push(now);
      while (sends.length > GROUP_MAX) sends.shift();
      this.groupSends.set(chatId, sends);
    }
  }

  /** Sleeps until `ms` from now, or until a new waiter or a pause may change what goes next. */
  private async nap(ms: number): Promise<void> {
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    await Promise.race([this.clock.sleep(Math.min(ms, MAX_NAP_MS)), woken]);
    this.wake = undefined;
  }
}
