/**
 * A Bot API server on 127.0.0.1 for end-to-end tests: the methods the bot uses, getUpdates with
 * offset and long-poll semantics, Telegram's size and HTML checks, and injectable faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  at: number;
  status: number;
}

/**
 * A fault decides the answer to a call instead of the server: return undefined to let it through.
 * 'drop' closes the connection; 'stall' keeps it open and never answers (a NAT or firewall that
 * silently drops packets); both are recorded with status 0.
 */
export type Fault = (call: {
  method: string;
  payload: Record<string, any>;
}) => { status: number; body: object } | 'drop' | 'stall' | undefined;

/**
 * The faults a broadcast meets in life, for chats numbered from `from` on: a blocked chat answers
 * 403 every time; on its first try, one chat in 401 gets a 429 (retry after 1 s) and, when `flaky`,
 * one in 83 a dropped connection and one in 97 a 502.
 */
export function broadcastFaults(from: number, isBlocked: (id: number) => boolean, flaky = false): Fault {
  const attempts = new Map<number, number>();
  return ({ method, payload }) => {
    if (method !== 'sendMessage' || Number(payload.chat_id) < from) return undefined;
    const id = Number(payload.chat_id);
    const n = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, n);
    if (isBlocked(id)) return { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
    if (id % 401 === 7 && n === 1)
      return {
        status: 429,
        body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
      };
    if (flaky && id % 83 === 5 && n === 1) return 'drop';
    if (flaky && id % 97 === 11 && n === 1) return { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    return undefined;
  };
}

const ALLOWED_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'blockquote',
  'span',
]);

/** Telegram's reading of an HTML message: the text length after entities, or an error. */
export function parseHtml(html: string): { length: number } | { error: string } {
  const stack: string[] = [];
  let text = '';
  const re = /<(\/?)([a-z-]+)[^>]*>|&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);|<|>|&|[^<>&]+/gi;
  for (const m of html.matchAll(re)) {
    const tok = m[0];
    if (m[2]) {
      const tag = m[2].toLowerCase();
      if (!ALLOWED_TAGS.has(tag)) return { error: `Bad Request: can't parse entities: Unsupported start tag "${tag}"` };
      if (m[1]) {
        if (stack.pop() !== tag) return { error: `Bad Request: can't parse entities: Unexpected end tag "${tag}"` };
      } else stack.push(tag);
    } else if (m[3]) text += 'x';
    else if (tok === '<' || tok === '>' || tok === '&') {
      if (tok === '<') return { error: "Bad Request: can't parse entities: Unsupported start tag" };
      text += tok;
    } else text += tok;
  }
  if (stack.length) return { error: "Bad Request: can't parse entities: Can't find end tag" };
  return { length: [...text].length };
}

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  readonly faults: Fault[] = [];
  private server?: Server;
  private updates: Array<Record<string, any>> = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private pollers: Array<() => void> = [];
  private waiters: Array<() => void> = [];

  constructor(
    readonly token: string,
    readonly botUser = { id: 777, is_bot: true, first_name: '青岛新闻问答', username: 'qd_news_bot' },
  ) {}

  /** Listens on 127.0.0.1 (on `port`, or one free) and resolves with the API root. */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const p of this.pollers.splice(0)) p();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Queues an update for getUpdates; returns its update_id. */
  pushUpdate(update: Record<string, any>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    for (const p of this.pollers.splice(0)) p();
    return update_id;
  }

  /** Calls of one method, in order. */
  of(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls the server refused (status ≥ 400), faults excluded. */
  errors(): ApiCall[] {
    return this.calls.filter((c) => c.status >= 400);
  }

  /** Resolves with the first call (after `from` calls) that matches, or rejects after `ms`. */
  async waitFor(match: (c: ApiCall) => boolean, ms = 10_000, from = 0): Promise<ApiCall> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.calls.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching Bot API call within ${ms} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private record(method: string, payload: Record<string, any>, status: number) {
    this.calls.push({ method, payload, at: Date.now(), status });
    for (const w of this.waiters.splice(0)) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    let payload: Record<string, any> = Object.fromEntries(url.searchParams);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw) {
      try {
        payload = { ...payload, ...JSON.parse(raw) };
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
    }
    if (token !== this.token) {
      this.record(method, payload, 401);
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    for (const fault of this.faults) {
      const out = fault({ method, payload });
      if (out === 'stall') {
        this.record(method, payload, 0);
        return; // the request stays open until the client gives up or the server stops
      }
      if (out === 'drop') {
        this.record(method, payload, 0);
        req.socket.destroy();
        return;
      }
      if (out) {
        this.calls.push({ method, payload, at: Date.now(), status: -out.status });
        for (const w of this.waiters.splice(0)) w();
        return send(out.status, out.body);
      }
    }
    if (method === 'getUpdates') {
      this.record(method, payload, 200); // recorded on arrival: a long poll may wait a long time
      return this.getUpdates(payload, send);
    }
    const { status, body } = this.answer(method, payload);
    this.record(method, payload, status);
    send(status, body);
  }

  private async getUpdates(payload: Record<string, any>, send: (status: number, body: object) => void) {
    const offset = Number(payload.offset ?? 0);
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset); // confirmed
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100)));
    const timeout = Math.min(Number(payload.timeout ?? 0), 50) * 1000;
    const ready = () => this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    if (ready().length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeout);
        this.pollers.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    send(200, { ok: true, result: ready() });
  }

  private answer(method: string, p: Record<string, any>): { status: number; body: object } {
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const bad = (description: string) => ({ status: 400, body: { ok: false, error_code: 400, description } });
    switch (method) {
      case 'getMe':
        return ok(this.botUser);
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
        return ok(true);
      case 'answerCallbackQuery':
        if (p.text && [...String(p.text)].length > 200) return bad('Bad Request: MESSAGE_TOO_LONG');
        return ok(true);
      case 'answerInlineQuery':
        if (!Array.isArray(p.results) || p.results.length > 50) return bad('Bad Request: RESULTS_TOO_MUCH');
        for (const r of p.results) {
          const text = r.input_message_content?.message_text ?? '';
          const checked = r.input_message_content?.parse_mode === 'HTML' ? parseHtml(text) : { length: [...text].length };
          if ('error' in checked) return bad(checked.error);
          if (checked.length > 4096) return bad('Bad Request: MESSAGE_TOO_LONG');
        }
        return ok(true);
      case 'sendMessage':
      case 'editMessageText': {
        if (p.chat_id === undefined && method === 'sendMessage') return bad('Bad Request: chat_id is empty');
        const text = String(p.text ?? '');
        const checked = p.parse_mode === 'HTML' ? parseHtml(text) : { length: [...text].length };
        if ('error' in checked) return bad(checked.error);
        if (checked.length === 0) return bad('Bad Request: message text is empty');
        if (checked.length > 4096) return bad('Bad Request: message is too long');
        for (const b of (p.reply_markup?.inline_keyboard ?? []).flat()) {
          if (b.callback_data !== undefined && (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)) {
            return bad('Bad Request: BUTTON_DATA_INVALID');
          }
        }
        const chatId = Number(p.chat_id);
        return ok({
          message_id: method === 'sendMessage' ? this.nextMessageId++ : Number(p.message_id),
          date: Math.floor(Date.now() / 1000),
          chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'user' } : { id: chatId, type: 'supergroup', title: 'group' },
          from: this.botUser,
          text,
        });
      }
      case 'getChatMember':
        return ok({ status: 'member', user: { id: Number(p.user_id), is_bot: false, first_name: 'user' } });
      case 'getChatAdministrators':
        return ok([]);
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }
}
