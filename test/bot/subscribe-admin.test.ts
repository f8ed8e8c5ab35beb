import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNKNOWN_COMMAND } from '../../src/bot/features/fallback.js';
import type { Broadcaster } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { testBroadcaster } from '../delivery/fake-clock.js';
import { buttons, memberStatus, recordApiCalls, testBot, texts } from './harness.js';
import { callbackUpdate, GROUP, PRIVATE, textUpdate, USER } from './updates.js';

const ADMIN = 9001;

describe('subscriptions and newsroom commands', () => {
  recordApiCalls();
  let dir: string;
  let store: Store;
  let delivered: number[];
  let broadcaster: Broadcaster;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bot-store-'));
    store = await openStore(dir, silentLogger);
    delivered = [];
    broadcaster = testBroadcaster(store, async (chatId) => {
      delivered.push(chatId);
    });
    memberStatus.clear();
  });
  afterEach(async () => {
    await broadcaster.idle();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bot = () => testBot({ store, broadcaster, adminIds: [ADMIN] });
  const fromAdmin = (text: string) => textUpdate(text, PRIVATE, { from: { ...USER, id: ADMIN } });
  const onDisk = () => JSON.parse(readFileSync(join(dir, 'subscribers.json'), 'utf8')).subscribers;

  describe('/subscribe', () => {
    it('offers the topics as buttons; a tap subscribes, on disk before it is confirmed', async () => {
      const { send } = bot();
      const [menu] = await send(textUpdate('/subscribe'));
      const options = buttons(menu);
      expect(options.map((b) => b.text)).to.deep.equal(['订阅:“民生在线”预告与开始前提醒', '订阅:新文章上线通知']);
      const calls = await send(callbackUpdate(options[0]!.callback_data));
      const confirm = calls.find((c) => c.method === 'answerCallbackQuery')!;
      expect(confirm.payload.text).to.equal('已订阅:“民生在线”预告与开始前提醒');
      expect(onDisk()[String(USER.id)].topics).to.deep.equal(['minsheng']);
      expect(texts(calls)[0]).to.include('已订阅');
    });

    it('/subscriptions lists them and /unsubscribe removes them', async () => {
      const { send } = bot();
      await store.subscribers.subscribe(USER.id, 'private', 'minsheng');
      await store.subscribers.subscribe(USER.id, 'private', 'articles');
      expect(texts(await send(textUpdate('/subscriptions')))[0])
        .to.include('“民生在线”预告与开始前提醒')
        .and.include('新文章上线通知');
      const [menu] = await send(textUpdate('/unsubscribe'));
      const all = buttons(menu).find((b) => b.text === '全部退订')!;
      await send(callbackUpdate(all.callback_data));
      expect(onDisk()[String(USER.id)]).to.equal(undefined);
      expect(texts(await send(textUpdate('/unsubscribe')))[0]).to.include('还没有订阅');
    });

    it('resumes a chat that had blocked the bot on /start or /subscribe', async () => {
      const { send } = bot();
      await store.subscribers.subscribe(USER.id, 'private', 'minsheng');
      await store.subscribers.markBlocked([USER.id]);
      expect(texts(await send(textUpdate('/start')))[0]).to.include('订阅推送已恢复');
      expect(await store.subscribers.recipients('minsheng')).to.deep.equal([USER.id]);
      await store.subscribers.markBlocked([USER.id]);
      expect(texts(await send(textUpdate('/subscribe')))[0]).to.include('推送已恢复');
    });

    it('pauses a private chat that blocks the bot', async () => {
      const { send } = bot();
      await store.subscribers.subscribe(USER.id, 'private', 'minsheng');
      await send({
        update_id: 99_001,
        my_chat_member: {
          chat: PRIVATE,
          from: USER,
          date: 0,
          old_chat_member: { status: 'member', user: USER },
          new_chat_member: { status: 'kicked', user: USER, until_date: 0 },
        },
      } as any);
      expect((await store.subscribers.get(USER.id))?.status).to.equal('blocked');
    });

    it('in a group, lets only administrators change the subscription', async () => {
      const { send } = bot();
      expect(texts(await send(textUpdate('/subscribe', GROUP)))[0]).to.include('只有群管理员');
      const forged = await send(callbackUpdate('sub:on:minsheng', GROUP));
      expect(forged.find((c) => c.method === 'answerCallbackQuery')!.payload.text).to.include('只有群管理员');
      expect(await store.subscribers.get(GROUP.id)).to.equal(undefined);

      memberStatus.set(USER.id, 'administrator');
      await send(callbackUpdate('sub:on:minsheng', GROUP));
      expect(await store.subscribers.get(GROUP.id)).to.deep.include({ chatType: 'supergroup', topics: ['minsheng'] });
    });

    it('answers forged subscription buttons with a notice', async () => {
      const { send } = bot();
      const calls = await send(callbackUpdate('sub:on:lottery'));
      expect(calls.map((c) => c.method)).to.deep.equal(['answerCallbackQuery']);
      expect(await store.subscribers.get(USER.id)).to.equal(undefined);
    });
  });

  describe('newsroom commands', () => {
    for (const command of ['/stats', '/unanswered', '/reload', '/broadcast 你好']) {
      it(`${command} from anyone else gets the unknown-command reply`, async () => {
        const { send } = bot();
        expect(texts(await send(textUpdate(command)))).to.deep.equal([UNKNOWN_COMMAND]);
      });
    }

    it('/stats counts subscribers, questions and broadcasts', async () => {
      const { send } = bot();
      await store.subscribers.subscribe(1, 'private', 'minsheng');
      await store.subscribers.subscribe(2, 'private', 'minsheng');
      await store.subscribers.markBlocked([2]);
      await send(textUpdate('工行个人养老金储蓄5年期利率有多高'));
      await send(textUpdate('比特币多少钱'));
      const [text] = texts(await send(fromAdmin('/stats')));
      expect(text, text).to.include('“民生在线”预告与开始前提醒:1 人(暂停 1)').and.include('已回答 1,未能回答 1');
    });

    it('/unanswered lists the most often declined questions', async () => {
      const { send } = bot();
      for (const q of ['比特币多少钱', '今天天气', '比特币多少钱']) await send(textUpdate(q));
      const [text] = texts(await send(fromAdmin('/unanswered')));
      expect(text).to.include('1. 比特币多少钱(2 次)\n2. 今天天气(1 次)');
    });

    it('/broadcast asks for confirmation, then sends to every active subscriber once', async () => {
      const { send } = bot();
      for (const id of [11, 12, 13]) await store.subscribers.subscribe(id, 'private', 'articles');
      const [draft] = await send(fromAdmin('/broadcast 明天<停水>通知'));
      expect(draft!.payload.text).to.include('3 位订阅者').and.include('明天&lt;停水&gt;通知');
      expect(delivered).to.deep.equal([]);
      const go = buttons(draft).find((b) => b.text.startsWith('确认发送'))!;
      const calls = await send(callbackUpdate(go.callback_data, { ...PRIVATE, id: ADMIN }, { ...USER, id: ADMIN }));
      expect(calls.some((c) => c.method === 'answerCallbackQuery')).to.equal(true);
      await broadcaster.idle();
      expect(delivered.sort()).to.deep.equal([11, 12, 13]);
      expect((await store.broadcasts.all())[0]).to.include({ kind: 'admin', status: 'done' });
    });
  });
});
