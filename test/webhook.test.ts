import { expect } from 'chai';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Update } from 'telegraf/types';
import { silentLogger } from '../src/logger.js';
import { BodyError, parseUpdate, readBody, startWebhookServer, type WebhookServer } from '../src/webhook.js';
import { rawRequest, splitPost } from './support/raw-http.js';

const LIMITS = { maxBytes: 1024, timeoutMs: 2_000 };

async function rejection(p: Promise<unknown>): Promise<BodyError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(BodyError);
    return err as BodyError;
  }
  throw new Error('expected a rejection');
}

describe('readBody', () => {
  it('decodes a character split between two chunks once, whole', async () => {
    const bytes = Buffer.from('{"text":"民生在线"}', 'utf8');
    const body = new PassThrough();
    const text = readBody(body, LIMITS);
    // 民 is three bytes, from offset 9: cut after its first and after its second byte
    body.write(bytes.subarray(0, 10));
    await new Promise((r) => setImmediate(r));
    body.write(bytes.subarray(10, 11));
    await new Promise((r) => setImmediate(r));
    body.end(bytes.subarray(11));
    expect(await text).to.equal('{"text":"民生在线"}');
  });

  it('refuses a declared length over the limit without reading', async () => {
    const body = new PassThrough();
    const err = await rejection(readBody(body, { ...LIMITS, declaredLength: 5 * 1024 * 1024 }));
    expect(err.status).to.equal(413);
  });

  it('refuses a body that grows past the limit as soon as it does', async () => {
    const body = new PassThrough();
    const text = readBody(body, LIMITS);
    body.write(Buffer.alloc(1000, 0x20));
    body.write(Buffer.alloc(100, 0x20));
    const err = await rejection(text);
    expect(err.status).to.equal(413);
  });

  it('takes a body of exactly the limit', async () => {
    const body = new PassThrough();
    const text = readBody(body, LIMITS);
    body.end(Buffer.alloc(1024, 0x61));
    expect(await text).to.have.length(1024);
  });

  it('gives up on a body that stalls', async () => {
    const body = new PassThrough();
    const started = Date.now();
    const text = readBody(body, { ...LIMITS, timeoutMs: 100 });
    body.write('{"update_id":');
    const err = await rejection(text);
    expect(err.status).to.equal(408);
    expect(Date.now() - started).to.be.within(90, 2_000);
  });

  it('refuses a body whose stream fails or closes early', async () => {
    const failing = new PassThrough();
    const a = readBody(failing, LIMITS);
    failing.destroy(new Error('reset'));
    expect((await rejection(a)).status).to.equal(400);

    const closing = new PassThrough();
    const b = readBody(closing, LIMITS);
    closing.write('{"upd');
    closing.destroy();
    expect((await rejection(b)).status).to.equal(400);
  });
});

describe('parseUpdate', () => {
  for (const text of [
    'null',
    '[]',
    '[{"update_id":1}]',
    '5',
    '"x"',
    'true',
    '{}',
    '{"update_id":"1"}',
    '{"update_id":1.5}',
    '{"update_id":-1}',
    '{',
    '',
  ]) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(parseUpdate(text)).to.equal(undefined);
    });
  }
  it('takes an object with a numeric update_id', () => {
    expect(parseUpdate('{"update_id":7,"message":{"text":"你好"}}')).to.deep.equal({ update_id: 7, message: { text: '你好' } });
  });
});

describe('the webhook server', function () {
  this.timeout(20_000);
  const SECRET = 'hook_Secret-1';
  const updates: Update[] = [];
  let failNext = false;
  let healthFails = false;
  let server: WebhookServer;
  let base: string;

  const post = (body: string, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) =>
    fetch(`${base}/telegram/hook`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  before(async () => {
    server = await startWebhookServer({
      path: '/telegram/hook',
      secretToken: SECRET,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      health: () => {
        if (healthFails) throw new Error('health failed');
        return { ok: true, articles: 3 };
      },
      bodyTimeoutMs: 500,
      onUpdate: async (update) => {
        if (failNext) {
          failNext = false;
          throw new Error('handler failed');
        }
        updates.push(update);
      },
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.stop(1_000));
  beforeEach(() => {
    updates.length = 0;
  });

  it('hands an update with the right secret to the handler and answers 200', async () => {
    const res = await post(JSON.stringify({ update_id: 1, message: { text: '你好' } }));
    expect(res.status).to.equal(200);
    expect(updates).to.deep.equal([{ update_id: 1, message: { text: '你好' } }]);
  });

  it('answers 401 to a wrong or missing secret and passes nothing on', async () => {
    const body = JSON.stringify({ update_id: 2 });
    expect((await post(body, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).to.equal(401);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': `${SECRET}x` })).status).to.equal(401);
    expect((await post(body, {})).status).to.equal(401);
    expect(updates).to.have.length(0);
  });

  it('answers 400 to anything that is not an update object', async () => {
    for (const body of ['null', '[]', '42', '"text"', '{}', '{"update_id":"3"}', 'not json', '']) {
      expect((await post(body)).status, body).to.equal(400);
    }
    expect(updates).to.have.length(0);
  });

  it('answers 413 to a body over 1 MB, and then serves the next', async () => {
    const big = JSON.stringify({ update_id: 4, message: { text: 'x'.repeat(5 * 1024 * 1024) } });
    expect((await post(big)).status).to.equal(413);
    expect((await post(JSON.stringify({ update_id: 5 }))).status).to.equal(200);
    expect(updates.map((u) => u.update_id)).to.deep.equal([5]);
  });

  it('cuts off a body that stalls, and then serves the next', async () => {
    const head = `POST /telegram/hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n\r\n`;
    const answer = await rawRequest(server.port, [Buffer.from(`${head}{"update_id":`)], { waitMs: 5_000 });
    expect(answer.closed).to.equal(true);
    expect(answer.status).to.equal(408);
    expect(answer.ms).to.be.within(400, 4_000);
    expect((await post(JSON.stringify({ update_id: 6 }))).status).to.equal(200);
    expect(updates.map((u) => u.update_id)).to.deep.equal([6]);
  });

  it('keeps a character whole when it arrives in two packets', async () => {
    const text = '下期民生在线什么时候?';
    const pieces = splitPost('/telegram/hook', { update_id: 7, message: { text } }, { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(pieces.length).to.be.greaterThan(10);
    const answer = await rawRequest(server.port, pieces, { gapMs: 20 });
    expect(answer.status).to.equal(200);
    expect(updates).to.deep.equal([{ update_id: 7, message: { text } }]);
  });

  it('answers 500 when the handler fails, and then serves the next', async () => {
    failNext = true;
    expect((await post(JSON.stringify({ update_id: 8 }))).status).to.equal(500);
    expect((await post(JSON.stringify({ update_id: 9 }))).status).to.equal(200);
  });

  it('answers the health check to GET and HEAD on /healthz and /', async () => {
    for (const path of ['/healthz', '/', '/healthz?probe=1']) {
      const got = await fetch(`${base}${path}`);
      expect(got.status).to.equal(200);
      expect(await got.json()).to.deep.equal({ ok: true, articles: 3 });
      const head = await fetch(`${base}${path}`, { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-type')).to.equal('application/json');
      expect(await head.text()).to.equal('');
    }
  });

  it('answers 500 when the health check fails, and then serves the next', async () => {
    healthFails = true;
    try {
      expect((await fetch(`${base}/healthz`)).status).to.equal(500);
    } finally {
      healthFails = false;
    }
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    expect((await fetch(`${base}/other`)).status).to.equal(404);
    expect((await fetch(`${base}/telegram/hook/x`, { method: 'POST' })).status).to.equal(404);
    const get = await fetch(`${base}/telegram/hook`);
    expect(get.status).to.equal(405);
    expect(get.headers.get('allow')).to.equal('POST');
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).to.equal(405);
  });
});

describe('starting the webhook server', () => {
  it('rejects with the host and port when it cannot listen', async () => {
    const options = {
      path: '/hook',
      secretToken: 's',
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      health: () => ({ ok: true }),
      onUpdate: async () => {},
    };
    const first = await startWebhookServer(options);
    try {
      await startWebhookServer({ ...options, port: first.port }).then(
        (second) => second.stop().then(() => expect.fail('a second server listened on the same port')),
        (err: Error) => expect(err.message).to.include(`cannot listen on 127.0.0.1, port ${first.port}`).and.include('EADDRINUSE'),
      );
    } finally {
      await first.stop();
    }
  });
});

describe('stopping the webhook server', () => {
  it('closes idle keep-alive connections at once and a stalled request within the grace time', async () => {
    const server = await startWebhookServer({
      path: '/hook',
      secretToken: 's',
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      health: () => ({ ok: true }),
      onUpdate: () => new Promise(() => {}),
    });
    // one request that never gets its answer, one idle connection
    const stalled = fetch(`http://127.0.0.1:${server.port}/hook`, {
      method: 'POST',
      body: '{"update_id":1}',
      headers: { 'x-telegram-bot-api-secret-token': 's' },
    }).catch((err: Error) => err);
    const idle = connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((r) => idle.once('connect', r));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.stop(300);
    expect(Date.now() - started).to.be.below(2_000);
    expect(await stalled).to.be.instanceOf(Error);
    idle.destroy();
  });
});
