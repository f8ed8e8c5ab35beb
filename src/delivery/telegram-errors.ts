/** What an error from the Bot API (or from the way to it) means for the message and its chat. */

const BLOCKED =
  /chat not found|user is deactivated|bot was kicked|bot was blocked|peer_id_invalid|not enough rights|bot is not a member|group chat was deactivated/i;

/**
 * - `{ retryAfterMs }`: 429, send again after that long (everything waits);
 * - `blocked`: 403 or a chat that is gone: never again to this chat;
 * - `fatal`: any other 400, Telegram refuses this message: it would refuse it again;
 * - `transient`: no answer (connection refused or reset, timeout), 5xx, or anything else:
 *   the same message may go through later.
 */
export type Verdict = { retryAfterMs: number } | 'blocked' | 'transient' | 'fatal';

export function classify(err: unknown): Verdict {
  const e = err as {
    code?: unknown;
    description?: string;
    message?: string;
    parameters?: { retry_after?: number };
    response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
  };
  const code = typeof e.code === 'number' ? e.code : e.response?.error_code;
  const description = e.description ?? e.response?.description ?? e.message ?? '';
  if (code === 429) return { retryAfterMs: 1000 * Math.max(1, e.parameters?.retry_after ?? e.response?.parameters?.retry_after ?? 1) };
  if (code === 403) return 'blocked';
  if (code === 400) return BLOCKED.test(description) ? 'blocked' : 'fatal';
  return 'transient';
}
