/** Logs to stderr, one line an event, with secrets (the bot token, the webhook secret) blanked out. */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/** Replaces every secret in a text with a placeholder. */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('<redacted>');
  return out;
}

export function createLogger(
  secrets: Array<string | undefined> = [],
  write: (line: string) => void = (line) => {
    process.stderr.write(line);
  },
): Logger {
  const log = (level: string, message: string) => write(`${new Date().toISOString()} ${level} ${redact(message, secrets)}\n`);
  return {
    info: (m) => log('info', m),
    warn: (m) => log('warn', m),
    error: (m, err) => log('error', err === undefined ? m : `${m}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  };
}

/** A logger that keeps nothing, for tests. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
