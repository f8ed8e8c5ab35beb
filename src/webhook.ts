/**
 * The webhook server (node:http). Telegram posts each update to the webhook path with the secret
 * token in a header; the host's health checks ask `/healthz` (or `/`) with GET or HEAD.
 *
 * The server reads each body itself before the bot sees it: the secret is checked first (wrong or
 * missing: 401), the bytes are gathered as Buffers and decoded once as UTF-8 (a character split
 * between two TCP packets stays whole), a body above the size limit is refused (413) and one that
 * stalls is cut off (408), and only a JSON object with a numeric `update_id` reaches the handler
 * (anything else: 400). Nothing a client sends can end the process.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Update } from 'telegraf/types';
import type { Logger } from './logger.js';

/** Largest body accepted; Telegram's updates are a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Time a client has to send the whole body once the headers are in. */
export const BODY_TIMEOUT_MS = 10_000;
/** Time to wait for the headers of a request. */
const HEADERS_TIMEOUT_MS = 15_000;
/** Time a stop waits for requests in flight before closing their connections. */
const STOP_GRACE_MS = 5_000;

/** A body that cannot be taken, with the HTTP status that says why. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface BodyLimits {
  /** largest body, in bytes */
  maxBytes: number;
  /** time allowed for the whole body, in ms */
  timeoutMs: number;
  /** the Content-Length the client declared, when it did */
  declaredLength?: number;
}

/**
 * Reads a whole body as bytes and decodes it once, as UTF-8. Rejects with a BodyError: 413 as soon
 * as the body (or its declared length) passes `maxBytes`, 408 when it has not ended within
 * `timeoutMs`, 400 when the stream fails or closes early. The stream is left paused on a rejection.
 */
export function readBody(body: Readable, limits: BodyLimits): Promise<string> {
  const { maxBytes, timeoutMs, declaredLength } = limits;
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    return Promise.reject(new BodyError(413, `body of ${declaredLength} bytes is over the limit of ${maxBytes}`));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (err: BodyError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      if (err) {
        body.pause();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size).toString('utf8'));
      }
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.length;
      if (size > maxBytes) return settle(new BodyError(413, `body is over the limit of ${maxBytes} bytes`));
      chunks.push(bytes);
    };
    const onEnd = () => settle(undefined);
    const onError = (err: Error) => settle(new BodyError(400, `body could not be read: ${err.message}`));
    const onClose = () => settle(new BodyError(400, 'connection closed before the body ended'));
    const timer = setTimeout(() => settle(new BodyError(408, `body not received within ${timeoutMs} ms`)), timeoutMs);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

/** The update in a body, or undefined when it is not JSON or not an update object. */
export function parseUpdate(text: string): Update | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as { update_id?: unknown }).update_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined;
  return value as Update;
}

/** Compares two secrets in time that does not depend on where they differ. */
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WebhookOptions {
  /** path Telegram posts to, e.g. `/telegram` */
  path: string;
  /** the value Telegram sends in `X-Telegram-Bot-Api-Secret-Token` */
  secretToken: string;
  port: number;
  /** interface to listen on; absent: all interfaces */
  host?: string;
  /** handles one update; the response is ended when it settles, if the handler has not ended it */
  onUpdate: (update: Update, res: ServerResponse) => Promise<void>;
  /** what `/healthz` answers */
  health: () => object;
  logger: Logger;
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
}

/** A running webhook server. */
export interface WebhookServer {
  /** the port it listens on (the one asked for, or the one given for port 0) */
  readonly port: number;
  /**
   * Stops taking connections, closes idle ones, lets requests in flight finish for up to `graceMs`
   * and then closes their connections; resolves when the server is closed.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the server; resolves once it listens, rejects when it cannot (port in use, bad host). */
export async function startWebhookServer(options: WebhookOptions): Promise<WebhookServer> {
  const { logger } = options;
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;

  const answer = (res: ServerResponse, status: number, close = false, headers: Record<string, string> = {}) => {
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    if (close) res.setHeader('connection', 'close');
    res.writeHead(status, headers).end();
  };

  const health = (req: IncomingMessage, res: ServerResponse) => {
    let body: string;
    try {
      body = JSON.stringify(options.health());
    } catch (err) {
      logger.error('webhook: the health check failed', err);
      return answer(res, 500);
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], options.secretToken)) {
      logger.warn(`webhook: refused a request without the right secret token from ${req.socket.remoteAddress}`);
      return answer(res, 401);
    }
    const lengthHeader = req.headers['content-length'];
    const declaredLength = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    let text: string;
    try {
      text = await readBody(req, { maxBytes, timeoutMs, declaredLength });
    } catch (err) {
      const e = err instanceof BodyError ? err : new BodyError(400, String(err));
      logger.warn(`webhook: ${e.message}`);
      if (e.status === 413) {
        // the rest of the body is read and dropped, so the client sees the answer; a client that
        // keeps sending past the time allowed loses the connection
        answer(res, 413);
        req.resume();
        const cut = setTimeout(() => req.socket.destroy(), timeoutMs);
        req.once('close', () => clearTimeout(cut));
        return;
      }
      answer(res, e.status, true);
      if (e.status === 408) res.once('finish', () => req.socket.destroy());
      return;
    }
    const update = parseUpdate(text);
    if (!update) {
      logger.warn('webhook: refused a body that is not an update object');
      return answer(res, 400);
    }
    try {
      await options.onUpdate(update, res);
    } catch (err) {
      logger.error(`webhook: update ${update.update_id} failed`, err);
      return answer(res, 500);
    }
    if (!res.writableEnded) answer(res, 200);
  };

  const server: Server = createServer((req, res) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return answer(res, 400);
    }
    if (pathname === options.path) {
      if (req.method !== 'POST') return answer(res, 405, false, { allow: 'POST' });
      receive(req, res).catch((err) => {
        logger.error('webhook: request failed', err);
        answer(res, 500, true);
      });
      return;
    }
    if (pathname === '/healthz' || pathname === '/') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, false, { allow: 'GET, HEAD' });
      return health(req, res);
    }
    answer(res, 404);
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = HEADERS_TIMEOUT_MS + timeoutMs;

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const refused = (err: Error) =>
      reject(new Error(`the webhook server cannot listen on ${options.host ?? 'all interfaces'}, port ${options.port}: ${err.message}`));
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('webhook server', err));
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    port,
    stop(graceMs = STOP_GRACE_MS) {
      closed ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
