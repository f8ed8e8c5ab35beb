/**
 * The bot process with DATABASE_URL (end to end, one worker): its data in PostgreSQL, none in
 * DATA_DIR; a new page announced once to the subscribers the database holds, also after a SIGKILL
 * and a restart; a conversation kept in the database.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { openPostgresStore } from '../../src/store/pg/store.js';
import { pageWithUpcomingSession, SEED_CORPUS } from '../helpers.js';
import { type BotProcess, startBot, TEST_TOKEN } from '../support/bot-process.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { postgresOrSkip } from '../support/postgres.js';

describe('the bot on PostgreSQL (end to end, one worker)', function () {
  this.timeout(120_000);
  let api: FakeBotApi;
  let apiRoot: string;
  let dir: string;
  let corpus: string;
  let dataDir: string;
  let url: string;
  let pool: Pool;
  const bots: BotProcess[] = [];

  const launch = () => {
    const bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: corpus, DATA_DIR: dataDir, DATABASE_URL: url });
    bots.push(bot);
    return bot;
  };
  const sent = (needle: string) =>
    api
      .of('sendMessage')
      .filter((c) => c.status === 200 && String(c.payload.text).includes(needle))
      .map((c) => c.payload.chat_id as number)
      .sort();

  before(async function () {
    const server = await postgresOrSkip(this);
    url = await server.createDatabase();
    pool = createPool(url);
    api = new FakeBotApi(TEST_TOKEN);
    apiRoot = await api.start();
    dir = mkdtempSync(join(tmpdir(), 'pg-app-'));
    corpus = join(dir, 'corpus');
    dataDir = join(dir, 'data');
    mkdirSync(corpus);
    for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
    const store = await openPostgresStore(url, silentLogger);
    await store.subscribers.subscribe(1, 'private', 'minsheng');
    await store.subscribers.subscribe(2, 'private', 'articles');
    await store.subscribers.subscribe(3, 'private', 'minsheng');
    await store.subscribers.subscribe(3, 'private', 'articles');
    await store.close();
  });

  after(async () => {
    for (const b of bots.splice(0)) await b.stop('SIGKILL');
    await api?.stop();
    await pool?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('announces a new page once to the database’s subscribers, across a SIGKILL, and keeps nothing in DATA_DIR', async () => {
    let bot = launch();
    await api.waitFor((c) => c.method === 'getUpdates', 30_000);
    writeFileSync(join(corpus, 'new-page.txt'), pageWithUpcomingSession());
    await api.waitFor((c) => c.method === 'sendMessage' && String(c.payload.text).includes('新收录') && c.payload.chat_id === 3, 30_000);
    await api.waitFor((c) => c.method === 'sendMessage' && String(c.payload.text).includes('下期预告') && c.payload.chat_id === 3, 30_000);
    expect(sent('下期预告')).to.deep.equal([1, 3]);
    expect(sent('新收录')).to.deep.equal([2, 3]);

    // a follow-up's context is a row
    api.pushUpdate({
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 5, type: 'private', first_name: 'u' },
        from: { id: 5, is_bot: false, first_name: 'u' },
        text: '城阳新建改建了几所幼儿园',
      },
    });
    const answer = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 5, 30_000);
    expect(answer.payload.text).to.include('12所');
    const { rows } = await pool.query(`SELECT state FROM conversations WHERE chat_id = '5'`);
    expect(rows[0]?.state.intent).to.equal('fact');

    expect(await bot.stop('SIGKILL')).to.equal(null);
    const before = api.of('sendMessage').length;
    bot = launch();
    await api.waitFor((c) => c.method === 'getUpdates', 30_000, api.calls.length);
    await new Promise((r) => setTimeout(r, 2000)); // time to announce again, were it to
    expect(api.of('sendMessage').length).to.equal(before);
    expect(sent('下期预告')).to.deep.equal([1, 3]);

    const jobs = await pool.query(`SELECT id, status FROM broadcasts ORDER BY position`);
    expect(jobs.rows.map((r) => r.status)).to.deep.equal(['done', 'done']);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).to.deep.equal([]);
    expect(await bot.stop('SIGTERM')).to.equal(0);
  });
});
