import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBotApi, type ApiCall } from '../support/fake-bot-api.js';
import { startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { SEED_CORPUS } from '../helpers.js';

const USER = { id: 4242, is_bot: false, first_name: '小王' };
const CHAT = { id: 4242, type: 'private', first_name: '小王' };
let messageId = 1;
const message = (text: string, extra: object = {}) => ({
  message_id: messageId++,
  date: Math.floor(Date.now() / 1000),
  chat: CHAT,
  from: USER,
  text,
  ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }] } : {}),
  ...extra,
});

describe('the bot over HTTP, by long polling (end to end)', function () {
  this.timeout(60_000);
  const api = new FakeBotApi(TEST_TOKEN);
  let bot: BotProcess;
  let dataDir: string;

  /** Sends an update and waits for the bot's next sendMessage to the user. */
  async function ask(update: object): Promise<ApiCall> {
    const from = api.calls.length;
    api.pushUpdate(update);
    return api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT.id, 15_000, from);
  }

  before(async () => {
    const apiRoot = await api.start();
    dataDir = mkdtempSync(join(tmpdir(), 'bot-data-'));
    bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir });
    await api.waitFor((c) => c.method === 'getUpdates', 20_000);
  });

  // Every test checks the Bot API calls made since the last check (the first, those made at start).
  let checked = 0;
  afterEach('no API error', () => {
    const calls = api.calls.slice(checked);
    checked += calls.length;
    expect(calls.filter((c) => c.status >= 400).map((c) => `${c.method} ${c.status}`)).to.deep.equal([]);
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers the command menu', async () => {
    const call = await api.waitFor((c) => c.method === 'setMyCommands');
    expect(call.payload.commands.map((c: { command: string }) => c.command)).to.include.members(['start', 'help', 'schedule']);
  });

  it('answers /start with what it knows and example buttons', async () => {
    const reply = await ask({ message: message('/start') });
    expect(reply.payload.text).to.include('已收录 3 篇');
    expect(reply.payload.reply_markup.inline_keyboard.length).to.be.within(2, 3);
  });

  it('answers a question and its follow-up', async () => {
    expect((await ask({ message: message('工行个人养老金储蓄3年期的利率是多少') })).payload.text).to.include('3.0%');
    expect((await ask({ message: message('那5年期的呢?') })).payload.text).to.include('3.05%');
  });

  it('declines with suggestions, and a tapped suggestion is answered', async () => {
    const decline = await ask({ message: message('北京明天天气如何') });
    const buttons = decline.payload.reply_markup.inline_keyboard.flat();
    const schedule = buttons.find((b: { text: string }) => b.text.includes('民生在线'));
    const reply = await ask({
      callback_query: {
        id: 'cb1',
        from: USER,
        chat_instance: '1',
        data: schedule.callback_data,
        message: { ...message('x'), from: api.botUser },
      },
    });
    expect(reply.payload.text).to.include('市生态环境局');
    expect(api.of('answerCallbackQuery').some((c) => c.payload.callback_query_id === 'cb1')).to.equal(true);
  });

  const badInput = [
    { name: 'empty text', update: () => ({ message: message('') }), says: '请用文字提问' },
    { name: '10,000 characters', update: () => ({ message: message('利'.repeat(10_000)) }), says: '问题太长了' },
    { name: 'emoji only', update: () => ({ message: message('🙂🙂🙂') }), says: '请用文字提问' },
    // the markup is not read as words: this asks for 工行's rates, and gets them
    {
      name: 'HTML and Markdown metacharacters',
      update: () => ({ message: message('<i>利率</i> & **工行** `x` [a](http://b)') }),
      says: '工商银行个人养老金储蓄',
    },
    {
      name: 'a sticker',
      update: () => ({
        message: {
          ...message(''),
          text: undefined,
          sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false },
        },
      }),
      says: '我只能读懂文字问题',
    },
  ];
  for (const { name, update, says } of badInput) {
    it(`replies sensibly to ${name}, without an API error`, async () => {
      const reply = await ask(update());
      expect(reply.status).to.equal(200);
      expect(reply.payload.text).to.include(says);
    });
  }

  it('ignores forged callback data and channel posts, and answers an edited question, without an API error', async () => {
    const from = api.calls.length;
    api.pushUpdate({
      callback_query: {
        id: 'forged',
        from: USER,
        chat_instance: '1',
        data: `ask:${'A'.repeat(60)}`,
        message: { ...message('x'), from: api.botUser },
      },
    });
    const edited = { ...message('工行利率'), edit_date: Math.floor(Date.now() / 1000) };
    api.pushUpdate({ edited_message: edited });
    api.pushUpdate({
      channel_post: { message_id: messageId++, date: 0, chat: { id: -100999, type: 'channel', title: '晚报' }, text: '工行利率' },
    });
    const notice = await api.waitFor((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === 'forged', 10_000, from);
    expect(notice.payload.text).to.include('失效');
    // the edit is answered as a reply to it
    const answer = await api.waitFor(
      (c) => c.method === 'sendMessage' && c.payload.reply_parameters?.message_id === edited.message_id,
      15_000,
      from,
    );
    expect(answer.payload.text).to.include('3.05%');
    // a question after them is still answered, and the callback and the channel post produced no message
    const reply = await ask({ message: message('下期民生在线什么时候?') });
    expect(reply.payload.text).to.include('市生态环境局');
    expect(api.calls.slice(from).filter((c) => c.method === 'sendMessage')).to.have.length(2);
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await bot.stop('SIGTERM')).to.equal(0);
    expect(bot.output()).to.not.include(TEST_TOKEN);
  });
});
