import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { runBotToExit, startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { ROOT, SEED_CORPUS } from '../helpers.js';

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
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = startBot(
      {
        BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        CORPUS_DIR: SEED_CORPUS,
        WEBHOOK_URL: `${base}/telegram/hook`,
        WEBHOOK_SECRET: secret,
        PORT: String(port),
      },
      ['--webhook'],
    );
    await api.waitFor((c) => c.method === 'setWebhook', 20_000);
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await api.stop();
  });

  it('registers the webhook with its secret token', () => {
    const call = api.of('setWebhook')[0]!;
    expect(call.payload.url).to.match(/\/telegram\/hook$/);
    expect(call.payload.secret_token).to.equal(secret);
  });

  it('answers an update posted with the secret', async () => {
    const res = await post(update(1, '下期民生在线什么时候?'));
    expect(res.status).to.equal(200);
    const reply = await api.waitFor((c) => c.method === 'sendMessage');
    expect(reply.payload.text).to.include('市生态环境局');
  });

  it('refuses a request without the right secret', async () => {
    const before = api.of('sendMessage').length;
    const res = await post(update(2, '下期民生在线什么时候?'), 'wrong');
    expect(res.status).to.be.within(400, 499);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.of('sendMessage')).to.have.length(before);
  });

  it('answers an update Telegram re-sends only once', async () => {
    const before = api.of('sendMessage').length;
    await post(update(3, '工行个人养老金储蓄5年期利率多少'));
    await post(update(3, '工行个人养老金储蓄5年期利率多少'));
    await api.waitFor((c) => c.method === 'sendMessage' && c.payload.text.includes('3.05%'));
    await new Promise((r) => setTimeout(r, 300));
    expect(api.of('sendMessage')).to.have.length(before + 1);
  });

  it('serves a health endpoint', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ ok: true, articles: 3 });
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
    try {
      const { code, output } = await runBotToExit({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot }, ['--polling']);
      expect(code).to.equal(1);
      expect(output).to.include('rejected BOT_TOKEN');
      expect(output).to.not.include(TEST_TOKEN);
    } finally {
      await api.stop();
    }
  });

  it('without BOT_TOKEN, chats in the terminal and says how to connect', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build/src/main.js')], {
      input: '下期民生在线什么时候?\n工行个人养老金储蓄3年期利率多少\n那5年期呢?\n',
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: SEED_CORPUS, ENV_FILE: '' },
    });
    expect(r.status).to.equal(0);
    expect(r.stderr).to.include('BOT_TOKEN is not set').and.include('@BotFather');
    expect(r.stdout).to.include('市生态环境局').and.include('3.0%').and.include('3.05%');
  });
});
