import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegram } from 'telegraf';
import { UNKNOWN_COMMAND } from '../../src/bot/features/fallback.js';
import { Broadcaster } from '../../src/delivery/broadcaster.js';
import { RateLimiter } from '../../src/delivery/rate-limiter.js';
import { silentLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeClock, testBroadcaster } from '../delivery/fake-clock.js';
import { VirtualClock } from '../delivery/virtual-clock.js';
import { buttons, recordApiCalls, testBot, texts } from './harness.js';
import { callbackUpdate, PRIVATE, textUpdate, USER } from './updates.js';
import { mostInOneSecond } from '../support/busiest-second.js';

const ADMIN = 9001;
const ADMIN_CHAT = { ...PRIVATE, id: ADMIN };
const ADMIN_USER = { ...USER, id: ADMIN };

/** An error shaped like telegraf's TelegramError. */
const badGateway = () => Object.assign(new Error('502: Bad Gateway'), { code: 502, description: 'Bad Gateway' });

describe('broadcasts seen from the bot: what waits, sending again, one limiter for everything', () => {
  recordApiCalls();
  let dir: string;
  let store: Store;
  let clock: FakeClock;
  let unreachable: Set<number>;
  let sent: number[];
  let broadcaster: Broadcaster;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bot-broadcast-'));
    store = await openStore(dir, silentLogger);
    clock = new FakeClock();
    unreachable = new Set();
    sent = [];
    broadcaster = testBroadcaster(
      store,
      async (chatId) => {
        if (unreachable.has(chatId)) throw badGateway();
        sent.push(chatId);
      },
      clock,
    );
  });
  afterEach(async () => {
    await broadcaster.idle();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bot = () => testBot({ store, broadcaster, adminIds: [ADMIN] });
  const fromAdmin = (text: string) => textUpdate(text, ADMIN_CHAT, { from: ADMIN_USER });

  it('/stats shows the broadcasts waiting to be sent and how many recipients they have left', async () => {
    const { send } = bot();
    // on record and not sent yet (as after a restart, before the broadcaster resumes them)
    await store.broadcasts.create({ id: 'admin:a', kind: 'admin', html: 'x', recipients: [1, 2, 3] });
    await store.broadcasts.create({ id: 'preview:b', kind: 'preview', html: 'y', recipients: [4, 5] });
    const [text] = texts(await send(fromAdmin('/stats')));
    expect(text, text).to.include('等待发送:2 次群发,5 位收件人');

    broadcaster.start();
    await broadcaster.idle();
    const [after] = texts(await send(fromAdmin('/stats')));
    expect(after, after).to.include('等待发送:无');
  });

  it('an admin sends a broadcast again to the chats it failed to reach, by the button under /stats or by /resend', async () => {
    const { send } = bot();
    for (const id of [11, 12, 13, 14]) await store.subscribers.subscribe(id, 'private', 'articles');
    unreachable.add(12).add(14);
    // Telegram answered 502 for two chats until the message was no longer worth sending
    await broadcaster.enqueue('admin:r', 'admin', '明日停水通知', [11, 12, 13, 14], { expiresAt: new Date(clock.now() + 60_000) });
    await broadcaster.idle();
    expect(sent.sort()).to.deep.equal([11, 13]);

    const [stats] = await send(fromAdmin('/stats'));
    const text = stats!.payload.text as string;
    expect(text, text).to.include('编辑部群发').and.include('2 位未送达');
    const ref = /\/resend (\S+)/.exec(text)![1]!;
    const again = buttons(stats).find((b) => b.text.startsWith('重发'))!;
    expect(again.text).to.include('2 人');

    unreachable.clear();
    const calls = await send(callbackUpdate(again.callback_data, ADMIN_CHAT, ADMIN_USER));
    expect(calls.some((c) => c.method === 'answerCallbackQuery')).to.equal(true);
    expect(texts(calls).join('\n')).to.include('2 位未送达的收件人');
    await broadcaster.idle();
    expect(sent.sort()).to.deep.equal([11, 12, 13, 14]);

    // once is enough: the same broadcast is not sent again twice
    expect(texts(await send(fromAdmin(`/resend ${ref}`)))[0]).to.include('已经重发过');
    const [later] = texts(await send(fromAdmin('/stats')));
    expect(later).to.not.include('未送达');
    expect(sent).to.have.length(4);
  });

  it('/resend without a broadcast, or with an unknown one, says how to use it', async () => {
    const { send } = bot();
    expect(texts(await send(fromAdmin('/resend')))[0]).to.include('用法');
    expect(texts(await send(fromAdmin('/resend nothing')))[0]).to.include('找不到');
  });

  it('/resend from anyone else gets the unknown-command reply', async () => {
    const { send } = bot();
    expect(texts(await send(textUpdate('/resend abc')))).to.deep.equal([UNKNOWN_COMMAND]);
  });

  it('sends replies and broadcasts through one limiter: together within the rate, replies ahead', async () => {
    const virtual = new VirtualClock();
    const limiter = new RateLimiter(10, virtual);
    const out: Array<{ at: number; kind: 'reply' | 'broadcast' }> = [];
    const recording = Telegram.prototype.callApi;
    Telegram.prototype.callApi = async function (this: Telegram, ...args: Parameters<Telegram['callApi']>) {
      if (args[0] === 'sendMessage') out.push({ at: virtual.now(), kind: 'reply' });
      return recording.apply(this, args);
    } as Telegram['callApi'];
    try {
      const shared = new Broadcaster({
        broadcasts: store.broadcasts,
        subscribers: store.subscribers,
        logger: silentLogger,
        limiter,
        clock: virtual,
        send: async () => {
          out.push({ at: virtual.now(), kind: 'broadcast' });
        },
      });
      const { send } = testBot({ store, broadcaster: shared, limiter, adminIds: [ADMIN] });
      await shared.enqueue(
        'articles:many',
        'articles',
        '新文章',
        Array.from({ length: 60 }, (_, i) => 200_000 + i),
      );
      await virtual.sleep(1500);
      // fifteen people ask at once while the broadcast runs
      await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          send(textUpdate('/schedule', { ...PRIVATE, id: 500 + i }, { from: { ...USER, id: 500 + i } })),
        ),
      );
      await shared.idle();

      const replies = out.filter((o) => o.kind === 'reply');
      const broadcast = out.filter((o) => o.kind === 'broadcast');
      expect(replies.length).to.be.at.least(15);
      expect(broadcast).to.have.length(60);
      expect(mostInOneSecond(out.map((o) => o.at)), 'messages in the busiest second').to.be.at.most(10);
      // the people were answered first: within two seconds, while 40 broadcast messages still waited
      expect(Math.max(...replies.map((r) => r.at)) - Math.min(...replies.map((r) => r.at))).to.be.below(2000);
      expect(broadcast.filter((b) => b.at > Math.max(...replies.map((r) => r.at))).length).to.be.above(30);
    } finally {
      Telegram.prototype.callApi = recording;
    }
  });
});
