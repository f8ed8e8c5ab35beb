import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { broadcastFaults, FakeBotApi, type ApiCall } from '../support/fake-bot-api.js';
import { startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { pageWithUpcomingSession, SEED_CORPUS } from '../helpers.js';
import { privateMessage } from '../support/private-message.js';

const ADMIN = 9001;

/** Writes a subscribers file as the store keeps it. */
function seedSubscribers(dataDir: string, chats: Array<{ id: number; topics: string[] }>): void {
  mkdirSync(dataDir, { recursive: true });
  const subscribers = Object.fromEntries(
    chats.map(({ id, topics }) => [
      String(id),
      { chatId: id, chatType: 'private', topics, status: 'active', since: '2026-01-01T00:00:00.000Z' },
    ]),
  );
  writeFileSync(join(dataDir, 'subscribers.json'), JSON.stringify({ schemaVersion: 1, subscribers }));
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const delivered = (api: FakeBotApi) => api.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
describe('subscriptions, previews and broadcasts (end to end)', function () {
  this.timeout(180_000);
  let api: FakeBotApi;
  let apiRoot: string;
  let dir: string;
  let corpus: string;
  let dataDir: string;
  const bots: BotProcess[] = [];
  const launch = (extra: Record<string, string> = {}) => {
    const bot = startBot({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      CORPUS_DIR: corpus,
      DATA_DIR: dataDir,
      ADMIN_IDS: String(ADMIN),
      ...extra,
    });
    bots.push(bot);
    return bot;
  };

  beforeEach(async () => {
    api = new FakeBotApi(TEST_TOKEN);
    apiRoot = await api.start();
    dir = mkdtempSync(join(tmpdir(), 'e2e-newsroom-'));
    corpus = join(dir, 'corpus');
    dataDir = join(dir, 'data');
    mkdirSync(corpus);
    for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
  });

  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop('SIGKILL');
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("posts a new page's preview and headlines to their subscribers once, and tells admins about a broken page", async () => {
    seedSubscribers(dataDir, [
      { id: 1, topics: ['minsheng'] },
      { id: 2, topics: ['articles'] },
      { id: 3, topics: ['minsheng', 'articles'] },
    ]);
    launch();
    await api.waitFor((c) => c.method === 'getUpdates', 20_000);

    writeFileSync(join(corpus, 'new-page.txt'), pageWithUpcomingSession());
    await api.waitFor((c) => c.method === 'sendMessage' && String(c.payload.text).includes('下期预告') && c.payload.chat_id === 3, 20_000);
    await api.waitFor(
      (c) => c.method === 'sendMessage' && String(c.payload.text).includes('新收录 2 篇') && c.payload.chat_id === 3,
      20_000,
    );
    const previews = () =>
      delivered(api)
        .filter((c) => String(c.payload.text).includes('下期预告'))
        .map((c) => c.payload.chat_id)
        .sort();
    const notices = () =>
      delivered(api)
        .filter((c) => String(c.payload.text).includes('新收录'))
        .map((c) => c.payload.chat_id)
        .sort();
    expect(previews()).to.deep.equal([1, 3]);
    expect(notices()).to.deep.equal([2, 3]);

    // the same page saved again: nothing new to announce
    writeFileSync(join(corpus, 'new-page.txt'), `${pageWithUpcomingSession()}\n`);
    // a broken page: the old index keeps serving, the admins are told why
    writeFileSync(join(corpus, 'broken.txt'), Buffer.from([0, 159, 146, 150, 0, 1]));
    const warning = await api.waitFor(
      (c) => c.method === 'sendMessage' && c.payload.chat_id === ADMIN && String(c.payload.text).includes('语料更新失败'),
      20_000,
    );
    expect(warning.payload.text).to.include('broken.txt');
    api.pushUpdate({ message: privateMessage(5, '城阳新建改建了几所幼儿园', 1) });
    const answer = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 5, 20_000);
    expect(answer.payload.text).to.include('12所');
    expect(previews()).to.deep.equal([1, 3]);
    expect(notices()).to.deep.equal([2, 3]);
  });

  it('broadcasts to 2,000 subscribers through 429s, 403s, dropped connections and a SIGKILL: one copy each', async () => {
    const N = 2000;
    const RATE = 200;
    const BATCH = 30; // the broadcaster's batch at this rate: the most that may arrive twice
    seedSubscribers(
      dataDir,
      Array.from({ length: N }, (_, i) => ({ id: 100_000 + i, topics: ['articles'] })),
    );
    const isBlocked = (id: number) => id % 47 === 0;
    api.faults.push(broadcastFaults(100_000, isBlocked, true));
    const env = { BROADCAST_RATE: String(RATE) };
    let bot = launch(env);
    await api.waitFor((c) => c.method === 'getUpdates', 20_000);

    api.pushUpdate({ message: privateMessage(ADMIN, '/broadcast 明日停水通知:李沧区部分路段', 1) });
    const draft = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === ADMIN);
    const go = draft.payload.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text.startsWith('确认发送'));
    expect(go.text).to.include(`${N} 人`);
    api.pushUpdate({
      callback_query: {
        id: 'go',
        from: { id: ADMIN, is_bot: false, first_name: 'a' },
        chat_instance: '1',
        data: go.callback_data,
        message: { ...privateMessage(ADMIN, 'x', draft.payload.message_id ?? 1), from: api.botUser },
      },
    });

    // kill it hard midway, then start it again
    const broadcastCopies = () => delivered(api).filter((c) => c.payload.chat_id >= 100_000);
    const deadline = Date.now() + 60_000;
    while (broadcastCopies().length < 800 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await bot.stop('SIGKILL')).to.equal(null);
    const atKill = broadcastCopies().length;
    expect(atKill).to.be.within(800, N - 1);
    bot = launch(env);

    const job = () => readJson(join(dataDir, 'broadcasts.json')).jobs[0];
    const finish = Date.now() + 90_000;
    while (job()?.status !== 'done' && Date.now() < finish) await new Promise((r) => setTimeout(r, 200));
    expect(job().status).to.equal('done');

    const copies = new Map<number, number>();
    for (const c of broadcastCopies()) copies.set(c.payload.chat_id, (copies.get(c.payload.chat_id) ?? 0) + 1);
    const active = Array.from({ length: N }, (_, i) => 100_000 + i).filter((id) => !isBlocked(id));
    const missing = active.filter((id) => !copies.has(id));
    const twice = [...copies.values()].filter((n) => n > 1).length;
    expect(missing, 'subscribers skipped').to.deep.equal([]);
    expect(twice, 'copies sent twice').to.be.at.most(BATCH);
    expect([...copies.values()].every((n) => n <= 2)).to.equal(true);

    const subscribers = readJson(join(dataDir, 'subscribers.json')).subscribers;
    const blocked = Object.values(subscribers)
      .filter((s: any) => s.status === 'blocked')
      .map((s: any) => s.chatId)
      .sort();
    expect(blocked).to.deep.equal(Array.from({ length: N }, (_, i) => 100_000 + i).filter(isBlocked));
    expect(job().counts.delivered).to.equal(active.length); // a finished job is kept as a summary

    // the admin's progress message was updated and ends with the total (the job is saved as done
    // before that last edit is sent, so it may still be on its way)
    const isProgress = (c: ApiCall) => c.method === 'editMessageText' && c.payload.chat_id === ADMIN;
    await api.waitFor((c) => isProgress(c) && String(c.payload.text).startsWith('群发完成'), 10_000).catch(() => undefined);
    const progress = api.calls.filter(isProgress).map((c) => String(c.payload.text));
    expect(progress.at(-1)).to.match(new RegExp(`^群发完成:${N}/${N}`));
  });

  it('keeps every confirmed subscription through repeated SIGKILLs during writes', async () => {
    let bot = launch();
    await api.waitFor((c) => c.method === 'getUpdates', 20_000);
    const users = 120;
    let next = 0;
    let kills = 0;
    const confirmedFor = (call: ApiCall) => call.method === 'answerCallbackQuery' && String(call.payload.text).startsWith('已订阅');
    const userOfCallback = new Map<string, number>();
    const deadline = Date.now() + 90_000;
    while ((next < users || kills < 3) && Date.now() < deadline) {
      for (let k = 0; k < 10 && next < users; k++, next++) {
        const user = 200_000 + next;
        const id = `cb${user}`;
        userOfCallback.set(id, user);
        api.pushUpdate({
          callback_query: {
            id,
            from: { id: user, is_bot: false, first_name: 'u' },
            chat_instance: '1',
            data: 'sub:on:minsheng',
            message: { ...privateMessage(user, 'x', 1), from: api.botUser },
          },
        });
      }
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      if (kills < 3) {
        await bot.stop('SIGKILL');
        kills++;
        const parsed = readJson(join(dataDir, 'subscribers.json')); // readable after every kill
        expect(parsed.schemaVersion).to.equal(1);
        bot = launch();
        await api.waitFor((c) => c.method === 'getUpdates', 20_000, api.calls.length);
      }
    }
    // let the last process finish what is queued
    await api.waitFor(() => api.calls.filter(confirmedFor).length > 0, 20_000);
    const settle = Date.now() + 30_000;
    const allConfirmed = () => new Set(api.calls.filter(confirmedFor).map((c) => userOfCallback.get(c.payload.callback_query_id))).size;
    while (allConfirmed() < users && Date.now() < settle) await new Promise((r) => setTimeout(r, 200));
    await bot.stop('SIGTERM');

    const confirmed = new Set(api.calls.filter(confirmedFor).map((c) => userOfCallback.get(c.payload.callback_query_id)!));
    const stored = readJson(join(dataDir, 'subscribers.json')).subscribers;
    expect(kills).to.equal(3);
    expect(confirmed.size).to.be.greaterThan(0);
    for (const user of confirmed) expect(stored[String(user)], `user ${user}`).to.deep.include({ topics: ['minsheng'], status: 'active' });
    expect(readdirSync(dataDir).filter((f) => f.includes('.corrupt-'))).to.deep.equal([]);
  });
});
