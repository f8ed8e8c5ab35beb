/**
 * The bot against a Bot API that stalls (accepts a connection and never answers) or is not there,
 * over HTTP on 127.0.0.1, and start-up failures: each must end in a bot that serves again, or in one
 * clear line and exit status 1, with the data folder left unlocked.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_CORPUS } from '../helpers.js';
import { type BotProcess, runBotToExit, startBot, TEST_TOKEN } from '../support/bot-process.js';
import { type ApiCall, FakeBotApi } from '../support/fake-bot-api.js';

const CHAT = { id: 4343, type: 'private', first_name: '小李' };
let messageId = 1;
const question = (text: string) => ({
  message: {
    message_id: messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: CHAT,
    from: { id: CHAT.id, is_bot: false, first_name: '小李' },
    text,
  },
});

/** Short limits, so that a stalled call is given up within seconds (the defaults are 25 s and 15 s). */
const FAST = { POLL_TIMEOUT: '1', API_TIMEOUT: '2' };

const count = (text: string, part: string) => text.split(part).length - 1;

describe('faults: a stalled or missing Bot API', function () {
  this.timeout(120_000);
  let api: FakeBotApi;
  let bot: BotProcess | undefined;
  let dataDir: string;

  beforeEach(() => {
    api = new FakeBotApi(TEST_TOKEN);
    dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
  });
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends a question and waits for the bot's answer to it. */
  async function ask(text: string, ms: number): Promise<ApiCall> {
    const from = api.calls.length;
    api.pushUpdate(question(text));
    return api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT.id && c.status === 200, ms, from);
  }

  it('answers again within 60 s of the API coming back after a stall during polling', async () => {
    const apiRoot = await api.start();
    bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir, ...FAST });
    await api.waitFor((c) => c.method === 'getUpdates', 30_000);
    expect((await ask('下期民生在线什么时候?', 15_000)).payload.text).to.include('市生态环境局');

    // the API stalls every call: the long poll in flight, then every new one
    let stalled = true;
    api.faults.push(() => (stalled ? 'stall' : undefined));
    const from = api.calls.length;
    await api.waitFor((c) => c.method === 'getUpdates' && c.status === 0, 15_000, from);
    // long enough for several polls to be given up (each after 1 + 2 s)
    await new Promise((r) => setTimeout(r, 8000));
    expect(api.calls.slice(from).filter((c) => c.method === 'getUpdates').length, 'polls retried during the stall').to.be.at.least(2);
    expect(bot.child.exitCode).to.equal(null);

    stalled = false;
    const back = Date.now();
    const reply = await ask('工行个人养老金储蓄3年期的利率是多少', 60_000);
    const took = Date.now() - back;
    expect(reply.payload.text).to.include('3.0%');
    expect(took).to.be.below(60_000);
    console.log(`      answered ${(took / 1000).toFixed(1)} s after the API came back`);
    // the loss and the return are logged once each
    const out = bot.output();
    expect(count(out, 'Bot API unreachable'), out).to.equal(1);
    expect(count(out, 'Bot API reachable again'), out).to.equal(1);
  });

  it('at start-up waits for an API that stalls, then serves', async () => {
    const apiRoot = await api.start();
    let stalled = true;
    api.faults.push(() => (stalled ? 'stall' : undefined));
    bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir, ...FAST });
    // getMe asked, given up after 2 s, and asked again
    await api.waitFor((c) => c.method === 'getMe', 30_000);
    await api.waitFor((c) => c.method === 'getMe', 15_000, api.calls.findIndex((c) => c.method === 'getMe') + 1);
    expect(bot.child.exitCode).to.equal(null);
    expect(bot.output()).to.include('Bot API unreachable (Bot API getMe: no answer within 2 s)');
    stalled = false;
    const back = Date.now();
    expect((await ask('下期民生在线什么时候?', 60_000)).payload.text).to.include('市生态环境局');
    console.log(`      served ${((Date.now() - back) / 1000).toFixed(1)} s after the API answered`);
  });

  it('at start-up waits for an API that is not there (connection refused), then serves', async () => {
    // a port that was free a moment ago
    const probe = new FakeBotApi(TEST_TOKEN);
    const apiRoot = await probe.start();
    await probe.stop();
    bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir, ...FAST });
    const deadline = Date.now() + 30_000;
    while (!bot.output().includes('unreachable') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(bot.output()).to.match(/Bot API unreachable \(.*getMe.*ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(bot.child.exitCode).to.equal(null);
    await api.start(Number(new URL(apiRoot).port));
    expect((await ask('下期民生在线什么时候?', 60_000)).payload.text).to.include('市生态环境局');
  });

  it('exits 1 with one line when Telegram refuses the token, and leaves the data folder unlocked', async () => {
    const other = new FakeBotApi('999999:OTHERTOKENOTHERTOKENOTHERTOKEN123');
    const apiRoot = await other.start();
    try {
      const { code, output } = await runBotToExit(
        { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir },
        ['--polling'],
        60_000,
      );
      expect(code).to.equal(1);
      expect(output).to.include('rejected BOT_TOKEN');
      expect(output).to.not.include(TEST_TOKEN);
      expect(existsSync(join(dataDir, 'bot.lock'))).to.equal(false);
    } finally {
      await other.stop();
    }
  });

  it('exits 1 with one line when the Bot API does not know the token (404), instead of waiting', async () => {
    const apiRoot = await api.start();
    api.faults.push(() => ({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } }));
    const { code, output } = await runBotToExit(
      { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir },
      [],
      60_000,
    );
    expect(code).to.equal(1);
    expect(output.trim().split('\n'), output).to.have.length(1);
    expect(output).to.include('404 Not Found').and.include('BOT_TOKEN');
    expect(api.of('getMe')).to.have.length(1);
  });

  it('exits 1 with one clear line when CORPUS_DIR is missing', async () => {
    const missing = join(dataDir, 'no-such-corpus');
    const { code, output } = await runBotToExit({ BOT_TOKEN: TEST_TOKEN, CORPUS_DIR: missing, DATA_DIR: dataDir });
    expect(code).to.equal(1);
    expect(output.trim().split('\n'), output).to.have.length(1);
    expect(output).to.include('CORPUS_DIR').and.include(missing);
  });
});
