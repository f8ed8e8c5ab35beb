/**
 * Stopping and restarting the bot over HTTP against the fake Bot API: SIGTERM while a broadcast
 * waits out a storm of 429s, a restart at once after it or after a SIGKILL. The process must exit
 * within STOP_TIMEOUT (5 s), and the restarted one take the data folder without a lock error, serve
 * within 30 s and send what was not confirmed sent.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';
import { ROOT, SEED_CORPUS } from '../helpers.js';
import { type BotProcess, startBot, TEST_TOKEN } from '../support/bot-process.js';
import { type ApiCall, FakeBotApi } from '../support/fake-bot-api.js';

const CHAT = { id: 4444, type: 'private', first_name: '小赵' };
let messageId = 1;
const question = (text: string) => ({
  message: {
    message_id: messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: CHAT,
    from: { id: CHAT.id, is_bot: false, first_name: '小赵' },
    text,
  },
});
const LOCK_ERROR = /in use by another bot process|cannot lock/;

describe('faults: stopping and restarting', function () {
  this.timeout(120_000);
  let api: FakeBotApi;
  let apiRoot: string;
  let dataDir: string;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    api = new FakeBotApi(TEST_TOKEN);
    apiRoot = await api.start();
    dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    env = { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir };
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop('SIGKILL');
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = () => {
    const bot = startBot(env);
    bots.push(bot);
    return bot;
  };

  /** Sends a question and waits for the bot's answer to it. */
  async function ask(text: string, ms: number): Promise<ApiCall> {
    const from = api.calls.length;
    api.pushUpdate(question(text));
    return api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT.id && c.status === 200, ms, from);
  }

  it('exits within 5 s of SIGTERM during a 429 storm; restarted at once, it serves and sends what was not confirmed', async () => {
    // a broadcast to 40 chats, queued before the start (as a crash or a stop leaves one)
    const recipients = Array.from({ length: 40 }, (_, i) => 6001 + i);
    const store = await openStore(dataDir, silentLogger);
    await store.broadcasts.create({ id: 'admin-storm', kind: 'admin', html: '停水通知', recipients });
    await store.close();

    let storm = true;
    api.faults.push(({ method, payload }) =>
      storm && method === 'sendMessage' && Number(payload.chat_id) >= 6001
        ? {
            status: 429,
            body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } },
          }
        : undefined,
    );
    const first = start();
    await api.waitFor((c) => c.method === 'sendMessage' && c.status === -429, 60_000);
    await new Promise((r) => setTimeout(r, 500)); // the broadcaster now waits out retry_after: 30

    const signalled = Date.now();
    const code = await first.stop('SIGTERM', 40_000);
    const took = Date.now() - signalled;
    console.log(`      exited ${(took / 1000).toFixed(2)} s after SIGTERM`);
    expect(code).to.equal(0);
    expect(took).to.be.below(5000);

    // restarted at once, with the storm over
    storm = false;
    const from = api.calls.length;
    const restarted = Date.now();
    const second = start();
    expect((await ask('下期民生在线什么时候?', 30_000)).payload.text).to.include('市生态环境局');
    const served = Date.now() - restarted;
    console.log(`      restarted and answering after ${(served / 1000).toFixed(1)} s`);
    expect(served).to.be.below(30_000);
    // every recipient gets the message: none was confirmed before the stop
    const delivered = new Set<number>();
    const deadline = Date.now() + 30_000;
    while (delivered.size < recipients.length && Date.now() < deadline) {
      for (const c of api.calls.slice(from)) {
        if (c.method === 'sendMessage' && c.status === 200 && c.payload.text === '停水通知') delivered.add(Number(c.payload.chat_id));
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...delivered].sort((a, b) => a - b)).to.deep.equal(recipients);
    expect(second.output()).to.not.match(LOCK_ERROR);
  });

  it('exits within 5 s of SIGTERM while the API stalls a reply and every poll, and serves again after a restart', async () => {
    const first = start();
    await api.waitFor((c) => c.method === 'getUpdates', 60_000);
    // from the question on, the API answers nothing: the reply and the polls stall (for 15 s each
    // before their time limit, 40 s for a poll), and so would the confirmation of the update at the stop
    const id = api.pushUpdate(question('下期民生在线什么时候?'));
    let stalled = true;
    api.faults.push(({ method, payload }) =>
      stalled && (method === 'sendMessage' || (method === 'getUpdates' && Number(payload.offset ?? 0) > id)) ? 'stall' : undefined,
    );
    await api.waitFor((c) => c.method === 'sendMessage' && c.status === 0, 30_000);

    const signalled = Date.now();
    const code = await first.stop('SIGTERM', 40_000);
    const took = Date.now() - signalled;
    console.log(`      exited ${(took / 1000).toFixed(2)} s after SIGTERM`);
    expect(code).to.equal(0);
    expect(took).to.be.below(5000);
    expect(first.output()).to.include('STOP_TIMEOUT');

    // the update was never confirmed: the restarted bot gets it again and answers it, then the next
    stalled = false;
    const from = api.calls.length;
    const second = start();
    const again = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT.id && c.status === 200, 30_000, from);
    expect(again.payload.text).to.include('市生态环境局');
    expect((await ask('工行个人养老金储蓄3年期的利率是多少', 30_000)).payload.text).to.include('3.0%');
    expect(second.output()).to.not.match(LOCK_ERROR);
  });

  it('serves within 30 s when restarted at once after a SIGKILL, while the killed process lingers unreaped', async () => {
    // the bot under a shell that never reaps it: once killed it stays a zombie, its pid still taken
    const shell = spawn('sh', ['-c', `"${process.execPath}" build/src/main.js --polling & echo "pid $!"; exec sleep 300`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ENV_FILE: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      shell.stdout.on('data', (d) => (out += d));
      shell.stderr.on('data', (d) => (out += d));
      await api.waitFor((c) => c.method === 'getUpdates', 60_000);
      const pid = Number(/pid (\d+)/.exec(out)?.[1]);
      expect(pid).to.be.above(0);
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      expect(() => process.kill(pid, 0), 'the killed bot is a zombie').to.not.throw();

      const restarted = Date.now();
      const second = start();
      expect((await ask('下期民生在线什么时候?', 30_000)).payload.text).to.include('市生态环境局');
      const served = Date.now() - restarted;
      console.log(`      restarted and answering after ${(served / 1000).toFixed(1)} s`);
      expect(served).to.be.below(30_000);
      expect(second.child.exitCode).to.equal(null);
      expect(second.output()).to.not.match(LOCK_ERROR);
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
