/**
 * Reminders for upcoming 民生在线 sessions: the evening before (20:00) and 30 minutes before the
 * start, Asia/Shanghai time. Planned from the sessions in the corpus and the reminders recorded in
 * the store, so a restart neither loses nor repeats one; a reminder more than two hours late, or for
 * a session already started, is never sent.
 */
import type { Session } from '../core/corpus/types.js';
import { shanghaiInstant, shanghaiParts } from '../core/corpus/shanghai-time.js';
import type { Broadcaster } from '../delivery/broadcaster.js';
import type { Logger } from '../logger.js';
import type { EventStore, SubscriberStore } from '../store/types.js';
import { reminderHtml, sessionKey, type ReminderKind } from './messages.js';

export const EVENING_HOUR = 20;
export const SOON_MINUTES = 30;
/** A reminder this late is dropped rather than sent. */
export const GRACE_MS = 2 * 3600_000;
/** The scheduler wakes at least this often, so a changed clock or a long sleep cannot skew it. */
const MAX_SLEEP_MS = 3600_000;
/** After the store failed to answer, the scheduler tries again this soon. */
const RETRY_MS = 60_000;

export interface ReminderTime {
  kind: ReminderKind;
  at: Date;
}

/** When a session's reminders are due. */
export function reminderTimes(session: Session): ReminderTime[] {
  const start = new Date(session.start);
  const day = shanghaiParts(new Date(start.getTime() - 24 * 3600_000));
  return [
    { kind: 'evening', at: shanghaiInstant(day.year, day.month, day.day, EVENING_HOUR, 0) },
    { kind: 'soon', at: new Date(start.getTime() - SOON_MINUTES * 60_000) },
  ];
}

export interface ReminderOptions {
  sessions: () => Session[];
  events: EventStore;
  subscribers: SubscriberStore;
  broadcaster: Broadcaster;
  logger: Logger;
  now?: () => Date;
}

export class ReminderScheduler {
  private timer?: NodeJS.Timeout;
  private readonly now: () => Date;

  constructor(private readonly options: ReminderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Sends what is due now: for each session still ahead, the latest reminder whose time has come
   * (within the grace period); earlier or stale ones are recorded as done without sending.
   * Returns the reminders sent, as `<session key>@<kind>`.
   */
  async tick(): Promise<string[]> {
    const { events, subscribers, broadcaster } = this.options;
    const now = this.now().getTime();
    const sent: string[] = [];
    for (const session of this.options.sessions()) {
      const key = sessionKey(session);
      const started = new Date(session.start).getTime() <= now;
      const due: ReminderTime[] = [];
      for (const r of reminderTimes(session)) if (r.at.getTime() <= now && !(await events.hasReminder(`${key}@${r.kind}`))) due.push(r);
      if (!due.length) continue;
      const latest = due[due.length - 1]!;
      if (!started && now - latest.at.getTime() <= GRACE_MS) {
        const id = `${key}@${latest.kind}`;
        // worth sending, and retrying through an outage, until the session starts
        await broadcaster.enqueue(
          `reminder:${id}`,
          'reminder',
          reminderHtml(session, latest.kind),
          await subscribers.recipients('minsheng'),
          {
            expiresAt: new Date(session.start),
          },
        );
        sent.push(id);
      }
      await events.record(
        'reminders',
        due.map((r) => `${key}@${r.kind}`),
      );
    }
    return sent;
  }

  /** The next time a reminder is due, if any. */
  async next(): Promise<Date | undefined> {
    const now = this.now().getTime();
    let best: Date | undefined;
    for (const session of this.options.sessions()) {
      if (new Date(session.start).getTime() <= now) continue;
      for (const r of reminderTimes(session)) {
        if (r.at.getTime() > now && (!best || r.at < best) && !(await this.options.events.hasReminder(`${sessionKey(session)}@${r.kind}`)))
          best = r.at;
      }
    }
    return best;
  }

  /** Sends what is due and sets a timer for the next one (call again after the corpus changes). */
  async start(): Promise<void> {
    this.stop();
    try {
      await this.tick();
    } catch (err) {
      this.options.logger.error('reminders: tick failed', err);
    }
    let wait = MAX_SLEEP_MS;
    try {
      const next = await this.next();
      if (next) wait = Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - this.now().getTime()));
    } catch (err) {
      // the store did not answer: plan again soon
      this.options.logger.error('reminders: the next reminder could not be planned', err);
      wait = RETRY_MS;
    }
    this.timer = setTimeout(() => {
      void this.start();
    }, wait);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
