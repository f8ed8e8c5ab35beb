/**
 * Two bot processes on one PostgreSQL database, by webhook, behind the tests' own Bot API: an
 * admin's broadcast to 2,000 subscribers split between them through 429s and 403s, the leader
 * SIGKILLed midway; then the other worker leads and sends the next reminder, once.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shanghaiParts, WEEKDAY_NAMES } from '../../src/core/corpus/shanghai-time.js';
import { silentLogger } from '../../src/logger.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { openPostgresStore } from '../../src/store/pg/store.js';
import { SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';
import { type BotProcess, startBot, TEST_TOKEN } from '../support/bot-process.js';
import { type ApiCall, broadcastFaults, FakeBotApi } from '../support/fake-bot-api.js';
import { postgresOrSkip } from '../support/postgres.js';
import { mostInOneSecond } from '../support/busiest-second.js';
import { privateMessage } from '../support/private-message.js';

const ADMIN = 9001;
const N = 2000;
const FIRST = 100_000;
const RATE = 200;
/** the broadcaster's batch at this rate: the most a killed worker leaves to be sent twice */
const BATCH = 30;
/** 民生在线 subscribers, who get the preview and the reminders */
const MINSHENG = [1, 2, 3];
const SECRET = 'workers_secret';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A page whose 民生在线 session starts 30 minutes after `reminderAt` (a whole minute), so its last reminder is due then. */
function pageWithSessionAt(reminderAt: Date): string {
  const start = new Date(reminderAt.getTime() + 30 * 60_000);
  const s = shanghaiParts(start);
  // an hour long, ending that day
  const end = s.hour < 23 ? { hour: s.hour + 1, minute: s.minute } : { hour: 23, minute: 59 };
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = readFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), 'utf8');
  return text
    .replace(/2024年/g, `${s.year}年`)
    .replace(/本报12月30日讯/, `本报${s.month}月${s.day}日讯`)
    .replace(
      /网谈时间:.*/,
      `网谈时间:${s.month}月${s.day}日(${WEEKDAY_NAMES[s.weekday]})${s.hour}:${pad(s.minute)}—${end.hour}:${pad(end.minute)}`,
    );
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('two workers on one database (end to end)', function () {
  this.timeout(180_000);
  let api: FakeBotApi;
  let dir: string;
  let pool: Pool;
  let reminderAt: Date;
  const workers: Array<{ bot: BotProcess; port: number }> = [];
  let leader: { bot: BotProcess; port: number };
  let follower: { bot: BotProcess; port: number };
  let killedAt = 0;

  const isBlocked = (id: number) => id >= FIRST && id % 47 === 0;
  const sentOk = () => api.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
  const broadcastCopies = () => sentOk().filter((c) => c.payload.chat_id !== ADMIN && String(c.payload.text).includes('明日停水通知'));
  const post = (port: number, update: object) =>
    fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      body: JSON.stringify(update),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });

  before(async function () {
    const server = await postgresOrSkip(this);
    const url = await server.createDatabase();
    // the subscribers: three to 民生在线, 2,000 to new articles
    const store = await openPostgresStore(url, silentLogger);
    for (const id of MINSHENG) await store.subscribers.subscribe(id, 'private', 'minsheng');
    await store.close();
    pool = createPool(url);
    await pool.query(
      `INSERT INTO subscribers (chat_id, chat_type, topics, status, since)
       SELECT g, 'private', ARRAY['articles'], 'active', now() FROM generate_series($1::bigint, $2::bigint) AS g ORDER BY g`,
      [FIRST, FIRST + N - 1],
    );

    api = new FakeBotApi(TEST_TOKEN);
    const apiRoot = await api.start();
    api.faults.push(broadcastFaults(FIRST, isBlocked));

    // the reminder falls due at least 30 s from now: after the workers are up and the leader is killed
    reminderAt = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
    dir = mkdtempSync(join(tmpdir(), 'e2e-workers-'));
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
    writeFileSync(join(corpus, 'session-page.txt'), pageWithSessionAt(reminderAt));

    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const bot = startBot(
        {
          BOT_TOKEN: TEST_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          CORPUS_DIR: corpus,
          DATA_DIR: join(dir, `data-${i}`),
          DATABASE_URL: url,
          ADMIN_IDS: String(ADMIN),
          BROADCAST_RATE: String(RATE),
          WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
          WEBHOOK_SECRET: SECRET,
          PORT: String(port),
          HOST: '127.0.0.1',
        },
        ['--webhook'],
      );
      workers.push({ bot, port });
    }
    await api.waitFor(() => api.of('setWebhook').filter((c) => c.status === 200).length === 2, 60_000);
    const deadline = Date.now() + 20_000;
    const leads = (w: { bot: BotProcess }) => w.bot.output().includes('this worker leads');
    while (!workers.some(leads) && Date.now() < deadline) await sleep(100);
    leader = workers.find(leads)!;
    expect(leader, 'a leader').to.not.equal(undefined);
    follower = workers.find((w) => w !== leader)!;
  });

  after(async () => {
    for (const w of workers.splice(0)) await w.bot.stop('SIGKILL');
    await api?.stop();
    await pool?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers a follow-up on the other worker in its conversation, and an update sent to both only once', async () => {
    const chat = 7_777;
    const replies = () => sentOk().filter((c) => c.payload.chat_id === chat);
    await post(leader.port, { update_id: 900_001, message: privateMessage(chat, '李沧一季度发了多少救助金', 1) });
    await api.waitFor(() => replies().length === 1, 20_000);
    expect(String(replies()[0]!.payload.text)).to.include('602万元');
    // the follow-up lands on the other worker, which reads the conversation from the database (asked
    // alone, "涉及多少人" is answered from another sentence)
    await post(follower.port, { update_id: 900_002, message: privateMessage(chat, '涉及多少人', 2) });
    await api.waitFor(() => replies().length === 2, 20_000);
    expect(String(replies()[1]!.payload.text)).to.include('7345人次');
    // Telegram re-sends an update; a load balancer hands each copy to another worker
    const again = { update_id: 900_003, message: privateMessage(chat, '工行个人养老金储蓄1年期利率是多少', 3) };
    await Promise.all([post(leader.port, again), post(follower.port, again)]);
    await api.waitFor(() => replies().length >= 3, 20_000);
    await sleep(1_500);
    expect(replies()).to.have.length(3);
  });

  it('splits a broadcast to 2,000 between them through 429s and 403s; with the leader SIGKILLed midway, every active subscriber gets it', async () => {
    // the preview went out once, from the leader
    await api.waitFor((c) => c.method === 'sendMessage' && String(c.payload.text).includes('下期预告') && c.payload.chat_id === 3, 20_000);

    await post(leader.port, { update_id: 1, message: privateMessage(ADMIN, '/broadcast 明日停水通知:李沧区部分路段', 1) });
    const draft = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === ADMIN);
    const go = draft.payload.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text.startsWith('确认发送'));
    expect(go.text).to.include(`${N + MINSHENG.length} 人`);
    await post(leader.port, {
      update_id: 2,
      callback_query: {
        id: 'go',
        from: { id: ADMIN, is_bot: false, first_name: 'a' },
        chat_instance: '1',
        data: go.callback_data,
        message: { ...privateMessage(ADMIN, 'x', 1), from: api.botUser },
      },
    });

    // the leader is killed hard midway through the broadcast, before the reminder is due
    const deadline = Date.now() + 60_000;
    const claimers = new Set<string>();
    while (broadcastCopies().length < 800 && Date.now() < deadline) {
      const { rows } = await pool.query(`SELECT DISTINCT claimed_by FROM broadcast_recipients WHERE claimed_by IS NOT NULL`);
      for (const r of rows) claimers.add(r.claimed_by);
      await sleep(20);
    }
    expect(claimers.size, 'workers holding batches of the broadcast').to.equal(2);
    expect(Date.now(), 'the leader is killed before the reminder is due').to.be.below(reminderAt.getTime() - 2000);
    expect(await leader.bot.stop('SIGKILL')).to.equal(null);
    killedAt = Date.now();
    const atKill = broadcastCopies().length;
    expect(atKill).to.be.within(800, N - 1);

    const status = async () => (await pool.query(`SELECT status FROM broadcasts WHERE kind = 'admin'`)).rows[0]?.status;
    const finish = Date.now() + 60_000;
    while ((await status()) !== 'done' && Date.now() < finish) await sleep(200);
    expect(await status()).to.equal('done');

    const copies = new Map<number, number>();
    for (const c of broadcastCopies()) copies.set(c.payload.chat_id, (copies.get(c.payload.chat_id) ?? 0) + 1);
    const chats = Array.from({ length: N }, (_, i) => FIRST + i);
    const active = [...MINSHENG, ...chats.filter((id) => !isBlocked(id))];
    expect(
      active.filter((id) => !copies.has(id)),
      'subscribers not reached',
    ).to.deep.equal([]);
    const twice = [...copies.values()].filter((n) => n > 1).length;
    expect(twice, 'copies sent twice (the killed worker’s batch in flight)').to.be.at.most(BATCH);
    expect([...copies.values()].every((n) => n <= 2)).to.equal(true);
    expect(copies.size).to.equal(active.length);

    const { rows: blocked } = await pool.query(`SELECT chat_id FROM subscribers WHERE status = 'blocked' ORDER BY chat_id`);
    expect(blocked.map((r) => Number(r.chat_id))).to.deep.equal(chats.filter(isBlocked));
    const { rows: outcomes } = await pool.query(
      `SELECT r.status, count(*)::int AS n FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
       WHERE b.kind = 'admin' GROUP BY r.status ORDER BY r.status`,
    );
    expect(outcomes).to.deep.equal([
      { status: 'blocked', n: chats.filter(isBlocked).length },
      { status: 'delivered', n: active.length },
    ]);

    // the admin's progress message ends with the total, whichever worker sent the last batch
    const progress = api
      .of('editMessageText')
      .filter((c) => c.payload.chat_id === ADMIN && c.status === 200)
      .map((c) => String(c.payload.text));
    expect(progress.at(-1)).to.match(new RegExp(`^群发完成:${N + MINSHENG.length}/${N + MINSHENG.length}`));

    // both workers together: never more than BROADCAST_RATE messages in any second, as the API saw them
    const sends = api.calls.filter((c: ApiCall) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => c.at);
    if (process.env.SHOW_FIGURES) console.log({ atKill, twice, busiest: mostInOneSecond(sends), afterKillMs: Date.now() - killedAt });
    expect(mostInOneSecond(sends), 'messages in the busiest second').to.be.at.most(RATE);
    expect(follower.bot.output()).to.include('this worker leads');
  });

  it('the leader killed, the other worker sends the next reminder, once', async () => {
    expect(killedAt, 'the leader was killed').to.be.above(0);
    const isReminder = (c: ApiCall) => c.method === 'sendMessage' && c.status === 200 && String(c.payload.text).includes('30分钟后开始');
    await api.waitFor(
      () => MINSHENG.every((id) => api.calls.some((c) => isReminder(c) && c.payload.chat_id === id)),
      Math.max(5_000, reminderAt.getTime() - Date.now() + 20_000),
    );
    await sleep(2000); // time to send it twice, were it to
    const reminders = api.calls.filter(isReminder).map((c) => c.payload.chat_id as number);
    expect(reminders.sort()).to.deep.equal(MINSHENG);
    expect(api.calls.filter(isReminder).every((c) => c.at >= reminderAt.getTime() - 1000 && c.at > killedAt)).to.equal(true);
    const previews = sentOk().filter((c) => String(c.payload.text).includes('下期预告'));
    expect(previews.map((c) => c.payload.chat_id).sort()).to.deep.equal(MINSHENG);
  });
});
