/** Writes an HTTP request over a plain socket in pieces, as separate TCP packets, and reads the answer. */
import { connect } from 'node:net';

export interface RawAnswer {
  /** the status code, or undefined when the server closed without answering */
  status?: number;
  /** everything the server sent */
  raw: string;
  /** the server closed the connection (rather than the time running out) */
  closed: boolean;
  /** ms from the first write to the answer or the close */
  ms: number;
}

/**
 * Sends `pieces` one after the other, `gapMs` apart, each flushed on its own (no Nagle), on a
 * connection to 127.0.0.1:`port`, then waits up to `waitMs` for the server to close it. Pieces are
 * written as given, so a piece may end in the middle of a UTF-8 sequence.
 */
export function rawRequest(port: number, pieces: Buffer[], opts: { gapMs?: number; waitMs?: number } = {}): Promise<RawAnswer> {
  const gapMs = opts.gapMs ?? 50;
  const waitMs = opts.waitMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const started = Date.now();
    let raw = '';
    let answeredAt: number | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      resolve({ status: m ? Number(m[1]) : undefined, raw, closed, ms: (answeredAt ?? Date.now()) - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d) => {
      answeredAt ??= Date.now();
      raw += d.toString('latin1');
    });
    socket.on('close', () => finish(true));
    socket.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE') return finish(true);
      if (!done) reject(err);
    });
    socket.once('connect', async () => {
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (done || socket.destroyed) return;
        socket.write(piece);
      }
    });
  });
}

/**
 * The pieces of a POST whose JSON body is cut in the middle of each multi-byte character, so that
 * every such character travels in two packets. `headers` are added to Host, Content-Type,
 * Content-Length and `Connection: close`.
 */
export function splitPost(path: string, body: unknown, headers: Record<string, string>): Buffer[] {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  const head = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${bytes.length}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  const pieces = [Buffer.from(head, 'latin1')];
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    // the first byte of a 3- or 4-byte sequence: cut after it
    if ((bytes[i]! & 0xf0) === 0xe0 || (bytes[i]! & 0xf8) === 0xf0) {
      pieces.push(bytes.subarray(from, i + 1));
      from = i + 1;
    }
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}
