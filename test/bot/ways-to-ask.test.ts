import { expect } from 'chai';
import { parseHtml } from '../support/fake-bot-api.js';
import { buttons, recordApiCalls, testBot, texts } from './harness.js';
import { editedUpdate, GROUP, myChatMemberUpdate, photoUpdate, textUpdate } from './updates.js';

const RATE_QUESTION = '工行个人养老金储蓄5年期的利率是多少?';
const messageIdOf = (u: object) => ((u as any).message ?? (u as any).edited_message).message_id as number;

describe('ways to ask', () => {
  recordApiCalls();

  describe('in groups', () => {
    it('lists the commands when a command addressed to the bot is unknown, and ignores those for other bots', async () => {
      const { send } = testBot();
      const u = textUpdate('/weather@qd_news_bot 青岛', GROUP);
      const calls = await send(u);
      expect(calls).to.have.length(1);
      expect(calls[0]!.payload.reply_parameters.message_id).to.equal(messageIdOf(u));
      const [text] = texts(calls);
      expect(text).to.include('没有这个命令').and.include('/ask').and.include('/schedule').and.include('/rates').and.include('/help');
      expect(text).to.include('提到我').and.include('回复我');
      expect(await send(textUpdate('/weather@other_bot', GROUP))).to.deep.equal([]);
      expect(await send(textUpdate('/weather', GROUP))).to.deep.equal([]);
    });

    for (const [from, to, chat] of [
      ['left', 'member', GROUP],
      ['kicked', 'administrator', { id: -4567, type: 'group', title: '楼栋群' }],
    ] as const) {
      it(`says what it does and how to ask when added to a ${chat.type} as ${to}`, async () => {
        const { send } = testBot();
        const calls = await send(myChatMemberUpdate(from, to, chat));
        expect(calls.map((c) => c.method)).to.deep.equal(['sendMessage']);
        expect(calls[0]!.payload.chat_id).to.equal(chat.id);
        const [text] = texts(calls);
        expect(text).to.include('青岛').and.include('出自哪篇报道');
        expect(text).to.include('@qd_news_bot 下期民生在线什么时候').and.include('回复我').and.include('/ask 问题');
        expect(parseHtml(text!)).to.not.have.property('error');
      });
    }

    it('says it once: not again when promoted, nor when removed, nor in a private chat', async () => {
      const { send } = testBot();
      expect(texts(await send(myChatMemberUpdate('left', 'member')))).to.have.length(1);
      expect(await send(myChatMemberUpdate('member', 'administrator'))).to.deep.equal([]);
      expect(await send(myChatMemberUpdate('administrator', 'left'))).to.deep.equal([]);
      expect(await send(myChatMemberUpdate('kicked', 'member', { id: 42, type: 'private', first_name: '小王' }))).to.deep.equal([]);
    });
  });

  describe('edited questions', () => {
    it('answers the edit as a new reply to the edited message, once for each new wording', async () => {
      const { send } = testBot();
      const original = textUpdate('下期民生在线什么时候?');
      expect(texts(await send(original))[0]).to.include('市生态环境局');
      const edit = editedUpdate(RATE_QUESTION, original);
      const calls = await send(edit);
      expect(calls.map((c) => c.method)).to.deep.equal(['sendMessage']);
      expect(calls[0]!.payload.text).to.include('3.05%');
      expect(calls[0]!.payload.reply_parameters.message_id).to.equal(messageIdOf(original));
      expect(await send(edit)).to.deep.equal([]); // the same update again
      expect(await send(editedUpdate(RATE_QUESTION, original))).to.deep.equal([]); // an edit that changed nothing asked
    });

    it('answers an edit in a group only when it is addressed to the bot', async () => {
      const { send } = testBot();
      const [call] = await send(editedUpdate(`@qd_news_bot ${RATE_QUESTION}`, undefined, GROUP));
      expect(call!.payload.text).to.include('3.05%');
      const [ask] = await send(editedUpdate(`/ask ${RATE_QUESTION}`, undefined, GROUP));
      expect(ask!.payload.text).to.include('3.05%');
      expect(await send(editedUpdate(RATE_QUESTION, undefined, GROUP))).to.deep.equal([]);
    });
  });

  describe('photos with a caption', () => {
    it('answers the caption as a question in a private chat', async () => {
      const { send } = testBot();
      const [text] = texts(await send(photoUpdate(RATE_QUESTION)));
      expect(text).to.include('<b>3.05%</b>');
    });

    it('answers a caption addressed to the bot in a group, replying to the photo', async () => {
      const { send } = testBot();
      const u = photoUpdate(`@qd_news_bot ${RATE_QUESTION}`, GROUP);
      const [call] = await send(u);
      expect(call!.payload.text).to.include('3.05%');
      expect(call!.payload.reply_parameters.message_id).to.equal(messageIdOf(u));
      expect(await send(photoUpdate(RATE_QUESTION, GROUP))).to.deep.equal([]);
    });
  });

  describe('questions in English', () => {
    it('says in Chinese and in English that it reads Chinese, with example questions', async () => {
      const { send } = testBot();
      const calls = await send(textUpdate('What is the weather in Qingdao today?'));
      const [text] = texts(calls);
      expect(text).to.include('请用中文提问').and.include('Please ask in Chinese');
      expect(buttons(calls[0]).length).to.be.within(2, 3);
    });

    it('still answers what it can, with the hint; a question in Chinese gets no hint', async () => {
      const { send } = testBot();
      const [text] = texts(await send(textUpdate('5 year rate 3.05%?')));
      expect(text).to.include('3.05%').and.include('丛德有');
      expect(text).to.include('请用中文提问').and.include('Please ask in Chinese');
      const [chinese] = texts(await send(textUpdate('ICBC个人养老金储蓄5年期的利率是多少?')));
      expect(chinese).to.include('3.05%').and.not.include('Please ask in Chinese');
    });
  });
});
