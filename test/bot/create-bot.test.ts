import { expect } from 'chai';
import { NOT_TEXT_HINT, UNKNOWN_COMMAND } from '../../src/bot/features/fallback.js';
import { MAX_MESSAGE_CHARS } from '../../src/bot/format.js';
import { parseHtml } from '../support/fake-bot-api.js';
import { engineFor, SEED_CORPUS } from '../helpers.js';
import { buttons, recordApiCalls, testBot, texts } from './harness.js';
import {
  callbackUpdate,
  channelPostUpdate,
  GROUP,
  inlineUpdate,
  photoUpdate,
  replyToBotUpdate,
  stickerUpdate,
  textUpdate,
  voiceUpdate,
} from './updates.js';

describe('createBot', () => {
  recordApiCalls();

  describe('/start and /help', () => {
    for (const command of ['/start', '/help']) {
      it(`${command} lists the articles and offers example questions as buttons`, async () => {
        const { send } = testBot();
        const [call] = await send(textUpdate(command));
        expect(call!.method).to.equal('sendMessage');
        expect(call!.payload.parse_mode).to.equal('HTML');
        expect(call!.payload.text).to.include('已收录 3 篇').and.include('《李沧公布一季度“民生答卷”》').and.include('/schedule');
        const bs = buttons(call);
        expect(bs.length).to.be.within(2, 3);
        for (const b of bs) expect(Buffer.byteLength(b.callback_data)).to.be.at.most(64);
      });
    }
  });

  describe('questions in a private chat', () => {
    it('answers with the fact and its source, in HTML', async () => {
      const { send } = testBot();
      const [text] = texts(await send(textUpdate('工行个人养老金储蓄5年期的利率是多少?')));
      expect(text).to.include('<b>3.05%</b>').and.include('<i>——摘自《全市11家“首贷信用贷服务分中心”为用户提供专项服务》');
    });

    it('keeps the conversation for follow-ups, per chat', async () => {
      const { send } = testBot();
      await send(textUpdate('工行个人养老金储蓄3年期利率有多高'));
      const [followUp] = texts(await send(textUpdate('起存金额呢?')));
      expect(followUp).to.include('1万元起存');
    });

    it('declines with suggestion buttons; tapping one asks it', async () => {
      const { send } = testBot();
      const [decline] = await send(textUpdate('北京明天天气如何'));
      expect(decline!.payload.text).to.match(/^抱歉/);
      const bs = buttons(decline);
      expect(bs.length).to.be.within(2, 3);
      const schedule = bs.find((b) => b.text.includes('民生在线'))!;
      const calls = await send(callbackUpdate(schedule.callback_data));
      expect(calls[0]!.method).to.equal('answerCallbackQuery');
      expect(texts(calls)[0]).to.include('市生态环境局');
    });

    it('answers a forged or stale button with a notice, not a crash', async () => {
      const { send } = testBot();
      for (const data of ['ask:doesnotexist', 'x'.repeat(64), '<script>']) {
        const calls = await send(callbackUpdate(data));
        expect(calls.map((c) => c.method)).to.deep.equal(['answerCallbackQuery']);
        expect(calls[0]!.payload.text).to.include('失效');
      }
    });

    it('escapes HTML and Markdown metacharacters', async () => {
      // The engine's replies never repeat a question's markup, so one that quotes the question
      // stands in for it: the metacharacters go through every escaping path of the reply, in a
      // plain line, around and in the bold span, and in the italic source line.
      const engine = Object.create(engineFor(SEED_CORPUS));
      engine.ask = async (question: string) => ({
        answered: true,
        intent: 'fact',
        score: 1,
        sources: [],
        suggestions: [],
        reply: `Q: ${question}\nA: ${question}\n\u2014\u2014<i>1 < 2 & 3 > 2</i>`,
        highlight: '& *ICBC*',
      });
      const { send } = testBot({ engine });
      const calls = await send(textUpdate('<b>利率</b> & *ICBC* _x_ [a](b) <br>'));
      expect(calls[0]?.payload.parse_mode).to.equal('HTML');
      const [text] = texts(calls);
      expect(text).to.be.a('string');
      expect(text).to.equal(
        'Q: &lt;b&gt;利率&lt;/b&gt; <b>&amp; *ICBC*</b> _x_ [a](b) &lt;br&gt;\n' + // Markdown is left as typed
          'A: &lt;b&gt;利率&lt;/b&gt; &amp; *ICBC* _x_ [a](b) &lt;br&gt;\n' + // bold only once
          '<i>\u2014\u2014&lt;i&gt;1 &lt; 2 &amp; 3 &gt; 2&lt;/i&gt;</i>',
      );
      expect(text).to.not.match(/<(?!\/?(b|i)>)/); // the only tags are the bold span and the source line
      expect(parseHtml(text!)).to.not.have.property('error'); // and Telegram would parse it
    });

    const bad = [
      { name: 'emoji only', text: '😀🎉👍', says: '请用文字提问' },
      { name: '10,000 characters', text: '问'.repeat(10_000), says: '问题太长了' },
      { name: 'white space', text: '   ', says: '请用文字提问' },
    ];
    for (const { name, text, says } of bad) {
      it(`replies sensibly to ${name}`, async () => {
        const { send } = testBot();
        const [reply] = texts(await send(textUpdate(text)));
        expect(reply).to.include(says);
        expect(reply!.length).to.be.at.most(MAX_MESSAGE_CHARS);
      });
    }

    it('says what an unknown command is', async () => {
      const { send } = testBot();
      expect(texts(await send(textUpdate('/weather')))).to.deep.equal([UNKNOWN_COMMAND]);
    });

    const nonText = [
      { name: 'a sticker', update: () => stickerUpdate() },
      { name: 'a photo without a caption', update: () => photoUpdate() },
      { name: 'a voice message', update: () => voiceUpdate() },
    ];
    for (const { name, update } of nonText) {
      it(`gives a one-line hint for ${name}`, async () => {
        const { send } = testBot();
        expect(texts(await send(update()))).to.deep.equal([NOT_TEXT_HINT]);
      });
    }

    it('stays quiet on channel posts', async () => {
      const { send } = testBot();
      expect(await send(channelPostUpdate('工行利率'))).to.deep.equal([]);
    });

    it('handles a re-sent update once', async () => {
      const { send } = testBot();
      const update = textUpdate('下期民生在线什么时候?');
      expect(await send(update)).to.have.length(1);
      expect(await send(update)).to.have.length(0);
    });
  });

  describe('/schedule', () => {
    it('gives the next 民生在线 session', async () => {
      const { send } = testBot();
      const [text] = texts(await send(textUpdate('/schedule')));
      expect(text).to.include('2023年3月30日(周四)14:30—16:00').and.include('市生态环境局');
    });
  });

  describe('groups', () => {
    it('stays quiet when not addressed', async () => {
      const { send } = testBot();
      expect(await send(textUpdate('工行个人养老金储蓄5年期的利率是多少?', GROUP))).to.deep.equal([]);
      expect(await send(stickerUpdate(GROUP))).to.deep.equal([]);
      expect(await send(textUpdate('/weather', GROUP))).to.deep.equal([]);
    });

    const addressed = [
      { name: 'a mention', update: () => textUpdate('@qd_news_bot 工行个人养老金储蓄5年期的利率是多少?', GROUP) },
      { name: 'a reply to the bot', update: () => replyToBotUpdate('工行个人养老金储蓄5年期的利率是多少?') },
      { name: '/ask', update: () => textUpdate('/ask 工行个人养老金储蓄5年期的利率是多少?', GROUP) },
      { name: '/ask@bot', update: () => textUpdate('/ask@qd_news_bot 工行个人养老金储蓄5年期的利率是多少?', GROUP) },
    ];
    for (const { name, update } of addressed) {
      it(`answers ${name}, replying to the question`, async () => {
        const { send } = testBot();
        const u = update();
        const [call] = await send(u);
        expect(call!.payload.text).to.include('3.05%');
        expect(call!.payload.reply_parameters.message_id).to.equal((u as any).message.message_id);
      });
    }

    it('ignores a mention of another bot and commands meant for it', async () => {
      const { send } = testBot();
      expect(await send(textUpdate('@other_bot 工行利率', GROUP))).to.deep.equal([]);
      expect(await send(textUpdate('/ask@other_bot 工行利率', GROUP))).to.deep.equal([]);
    });

    it('asks for the question after an empty /ask', async () => {
      const { send } = testBot();
      expect(texts(await send(textUpdate('/ask', GROUP)))[0]).to.include('/ask 下期民生在线什么时候');
    });
  });

  describe('/rates', () => {
    it('shows the rates the pages print, grouped by bank and product, with the page date', async () => {
      const { send } = testBot();
      const calls = await send(textUpdate('/rates'));
      const [text] = texts(calls);
      expect(calls[0]!.payload.parse_mode).to.equal('HTML');
      expect(text).to.include('工商银行').and.include('· 个人养老金储蓄:3年期 3%,5年期 3.05%(1万元起存) — 2023年3月29日');
      expect(text!.length).to.be.at.most(MAX_MESSAGE_CHARS);
    });

    it('puts a button under an answer about a rate; tapping it shows the table', async () => {
      const { send } = testBot();
      const [answer] = await send(textUpdate('工行养老金3年期比5年期低多少'));
      expect(answer!.payload.text).to.include('0.05个百分点');
      const button = buttons(answer).find((b) => b.text.includes('全部存款利率'))!;
      const calls = await send(callbackUpdate(button.callback_data));
      expect(calls[0]!.method).to.equal('answerCallbackQuery');
      expect(texts(calls)[0]).to.include('工商银行').and.include('3.05%');
    });

    it('escapes the table and splits a long one within the message limit', async () => {
      const engine = Object.create(engineFor(SEED_CORPUS));
      const rows = Array.from({ length: 400 }, (_, i) => `· <银行${i}> & 定期存款:1年期 1.${i}%`);
      engine.ratesTable = () => rows.join('\n');
      const { send } = testBot({ engine });
      const sent = texts(await send(textUpdate('/rates')));
      expect(sent.length).to.be.at.least(2);
      for (const t of sent) {
        expect(t.length).to.be.at.most(MAX_MESSAGE_CHARS);
        expect(t).to.not.match(/<(?!\/?(b|i)>)/);
      }
      expect(sent.join('\n')).to.include('&lt;银行399&gt; &amp; 定期存款');
    });
  });

  describe('inline mode', () => {
    it('offers answers as results, at most 50', async () => {
      const { send } = testBot();
      const [call] = await send(inlineUpdate('个人养老金'));
      expect(call!.method).to.equal('answerInlineQuery');
      const results = call!.payload.results as any[];
      expect(results.length).to.be.within(1, 50);
      expect(results[0].input_message_content.message_text).to.include('个人养老金');
      expect(results[0].input_message_content.parse_mode).to.equal('HTML');
      expect(new Set(results.map((r) => r.id)).size).to.equal(results.length);
    });

    it('offers the schedule for an empty query and nothing for nonsense', async () => {
      const { send } = testBot();
      expect((await send(inlineUpdate('')))[0]!.payload.results[0].title).to.include('民生在线');
      expect((await send(inlineUpdate('比特币')))[0]!.payload.results).to.deep.equal([]);
    });
  });
});
