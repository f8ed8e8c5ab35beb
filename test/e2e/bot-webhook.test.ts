import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { runBotToExit, startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { ROOT, SEED_CORPUS } from '../helpers.js';
import { rawRequest, splitPost } from '../support/raw-http.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the bot by webhook (end to end)', function () {
  this.timeout(60_000);
  const api = new FakeBotApi(TEST_TOKEN);
  const secret = 'webhook_Secret-123';
  let bot: BotProcess;
  let base: string;
  let port: number;
  let dataDir: string;

  const post = (update: object, token = secret) =>
    fetch(`${base}/telegram/hook`, {
      method: 'POST',
      body: JSON.stringify(update),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token },
    });
  const update = (id: number, text: string) => ({
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 5, type: 'private', first_name: 'a' },
      from: { id: 5, is_bot: false, first_name: 'a' },
      text,
    },
  });

  before(async () => {
    const apiRoot = await api.start();
    // the first setWebhook meets an outage (502), which the bot waits out
    let failed = false;
    api.faults.push((c) => {
      if (c.method !== 'setWebhook' || failed) return undefined;
      failed = true;
      return { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    });
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    bot = startBot(
      {
        BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        CORPUS_DIR: SEED_CORPUS,
        DATA_DIR: dataDir,
        WEBHOOK_URL: `${base}/telegram/hook`,
        WEBHOOK_SECRET: secret,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      ['--webhook'],
    );
    await api.waitFor((c) => c.method === 'setWebhook' && c.status === 200, 20_000);
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers the webhook with its secret token, after an outage', () => {
    expect(api.of('setWebhook').map((c) => c.status)).to.deep.equal([-502, 200]);
    const call = api.of('setWebhook')[1]!;
    expect(call.payload.url).to.match(/\/telegram\/hook$/);
    expect(call.payload.secret_token).to.equal(secret);
    expect(bot.output()).to.include(`webhook listening on 127.0.0.1, port ${port}, path /telegram/hook`);
  });

  it('answers an update posted with the secret', async () => {
    const res = await post(update(1, '下期民生在线什么时候?'));
    expect(res.status).to.equal(200);
    const reply = await api.waitFor((c) => c.method === 'sendMessage');
    expect(reply.payload.text).to.include('市生态环境局');
  });

  it('answers 401 to a request with a wrong or no secret, and passes nothing on', async () => {
    const before = api.of('sendMessage').length;
    expect((await post(update(2, '下期民生在线什么时候?'), 'wrong')).status).to.equal(401);
    const without = await fetch(`${base}/telegram/hook`, {
      method: 'POST',
      body: JSON.stringify(update(2, '下期民生在线什么时候?')),
      headers: { 'content-type': 'application/json' },
    });
    expect(without.status).to.equal(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.of('sendMessage')).to.have.length(before);
  });

  /** The process is alive and answers update `id`. */
  const answersNext = async (id: number) => {
    expect(bot.child.exitCode, bot.output()).to.equal(null);
    const from = api.calls.length;
    expect((await post(update(id, '下期民生在线什么时候?'))).status).to.equal(200);
    const reply = await api.waitFor((c) => c.method === 'sendMessage', 10_000, from);
    expect(reply.payload.text).to.include('市生态环境局');
  };
  const postRaw = (body: string) =>
    fetch(`${base}/telegram/hook`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    });

  it('answers 400 to a body that is not an update (null, [], a number, no update_id) and keeps serving', async () => {
    for (const body of ['null', '[]', '42', '{"message":{"text":"hi"}}', '{"update_id":"x"}', 'not json']) {
      expect((await postRaw(body)).status, body).to.equal(400);
    }
    await answersNext(10);
  });

  it('answers 413 to a 5 MB body and keeps serving', async () => {
    const big = JSON.stringify({ ...update(11, '下期民生在线什么时候?'), padding: 'x'.repeat(5 * 1024 * 1024) });
    expect((await postRaw(big)).status).to.equal(413);
    await answersNext(12);
  });

  it('cuts off a body that stalls and keeps serving', async () => {
    const head =
      'POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: 200\r\nX-Telegram-Bot-Api-Secret-Token: ${secret}\r\n\r\n`;
    const answer = await rawRequest(port, [Buffer.from(`${head}{"update_id":13,"message":`)], { waitMs: 30_000 });
    expect(answer.closed, 'the connection is closed').to.equal(true);
    if (answer.status !== undefined) expect(answer.status).to.equal(408);
    expect(answer.ms).to.be.below(30_000);
    await answersNext(14);
  });

  it('reads a question whose characters each arrive in two packets', async () => {
    const from = api.calls.length;
    const pieces = splitPost('/telegram/hook', update(15, '下期民生在线什么时候?'), { 'X-Telegram-Bot-Api-Secret-Token': secret });
    const answer = await rawRequest(port, pieces, { gapMs: 30 });
    expect(answer.status).to.equal(200);
    const reply = await api.waitFor((c) => c.method === 'sendMessage', 10_000, from);
    expect(reply.payload.text).to.include('市生态环境局');
  });

  it('answers an update Telegram re-sends only once', async () => {
    const before = api.of('sendMessage').length;
    await post(update(3, '工行个人养老金储蓄5年期的利率是多少'));
    await post(update(3, '工行个人养老金储蓄5年期的利率是多少'));
    await api.waitFor((c) => c.method === 'sendMessage' && c.payload.text.includes('3.05%'));
    await new Promise((r) => setTimeout(r, 300));
    expect(api.of('sendMessage')).to.have.length(before + 1);
  });

  it('serves a health endpoint', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ ok: true, articles: 3 });
  });

  it('answers HEAD /healthz without a body', async () => {
    const res = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('');
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await bot.stop('SIGTERM')).to.equal(0);
  });
});

describe('starting the bot', function () {
  this.timeout(30_000);

  const badConfig: Array<{ env: Record<string, string>; says: string }> = [
    { env: { BOT_TOKEN: 'not-a-token' }, says: 'BOT_TOKEN is malformed' },
    {
      env: { BOT_TOKEN: TEST_TOKEN, WEBHOOK_URL: 'http://example.org/hook', WEBHOOK_SECRET: 'x' },
      says: 'WEBHOOK_URL must be an https:// address',
    },
    { env: { BOT_TOKEN: TEST_TOKEN, WEBHOOK_URL: 'https://example.org/hook' }, says: 'WEBHOOK_SECRET is required' },
    {
      env: { BOT_TOKEN: TEST_TOKEN, WEBHOOK_URL: 'https://example.org/hook', WEBHOOK_SECRET: 'bad secret!' },
      says: 'WEBHOOK_SECRET may hold only',
    },
    { env: { PORT: 'eighty' }, says: 'PORT must be a number' },
    { env: { HOST: '0.0.0.0:80' }, says: 'HOST must be an address or a host name' },
    { env: { TELEGRAM_API_ROOT: 'ftp://x' }, says: 'TELEGRAM_API_ROOT must be an http(s) URL' },
    { env: { ADMIN_IDS: '12,abc' }, says: 'ADMIN_IDS must be' },
  ];
  for (const { env, says } of badConfig) {
    it(`exits 1 with one clear line: ${says}`, async () => {
      const { code, output } = await runBotToExit(env);
      expect(code).to.equal(1);
      expect(output.trim().split('\n')).to.have.length(1);
      expect(output).to.include(says);
      expect(output).to.not.include(TEST_TOKEN);
    });
  }

  it('exits 1 when Telegram rejects the token, without printing it', async () => {
    const api = new FakeBotApi('999999:OTHERTOKENOTHERTOKENOTHERTOKEN123');
    const apiRoot = await api.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    try {
      const { code, output } = await runBotToExit({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, DATA_DIR: dataDir }, ['--polling']);
      expect(code).to.equal(1);
      expect(output).to.include('rejected BOT_TOKEN');
      expect(output).to.not.include(TEST_TOKEN);
    } finally {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 1 when Telegram refuses the webhook address, saying why', async () => {
    const api = new FakeBotApi(TEST_TOKEN);
    const apiRoot = await api.start();
    api.faults.push((c) =>
      c.method === 'setWebhook'
        ? { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: IP address 127.0.0.1 is reserved' } }
        : undefined,
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    const port = await freePort();
    try {
      const { code, output } = await runBotToExit(
        {
          BOT_TOKEN: TEST_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          CORPUS_DIR: SEED_CORPUS,
          DATA_DIR: dataDir,
          WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
          WEBHOOK_SECRET: 'webhook_secret',
          PORT: String(port),
          HOST: '127.0.0.1',
        },
        ['--webhook'],
      );
      expect(code).to.equal(1);
      expect(output).to.include('bad webhook: IP address 127.0.0.1 is reserved');
      expect(api.of('setWebhook')).to.have.length(1);
    } finally {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('without BOT_TOKEN, chats in the terminal and says how to connect', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build/src/main.js')], {
      input: '下期民生在线什么时候?\n工行个人养老金储蓄3年期的利率是多少\n5年期的呢?\n',
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: SEED_CORPUS, ENV_FILE: '' },
    });
    expect(r.status).to.equal(0);
    expect(r.stderr).to.include('BOT_TOKEN is not set').and.include('@BotFather');
    expect(r.stdout).to.include('市生态环境局').and.include('3.0%').and.include('3.05%');
  });
});
