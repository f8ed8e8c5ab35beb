import { expect } from 'chai';
import { SuggestionIds } from '../../src/bot/context.js';
import { MemoryConversations } from '../../src/store/conversations.js';
import { MAX_MESSAGE_CHARS, toHtmlMessages } from '../../src/bot/format.js';
import { escapeHtml } from '../../src/html.js';
import { parseHtml } from '../support/fake-bot-api.js';

describe('toHtmlMessages', () => {
  const cases = [
    { name: 'a short reply', text: '利率3.05%\n——摘自《标题》', count: 1 },
    { name: 'many lines', text: Array.from({ length: 400 }, (_, i) => `第${i}行:${'字'.repeat(20)}`).join('\n'), count: 3 },
    { name: 'one line of 10,000 characters', text: '字'.repeat(10_000), count: 3 },
    { name: 'metacharacters that grow when escaped', text: '<&>'.repeat(3000), count: 10 },
  ];
  for (const { name, text, count } of cases) {
    it(`splits ${name} into ${count} valid message(s) of at most 4096 characters`, () => {
      const messages = toHtmlMessages(text);
      expect(messages).to.have.length(count);
      for (const m of messages) {
        expect(m.length).to.be.at.most(MAX_MESSAGE_CHARS);
        expect(parseHtml(m)).to.not.have.property('error');
      }
    });
  }

  it('puts the source line in italics and escapes the rest', () => {
    expect(toHtmlMessages('a<b\n——摘自《x&y》')).to.deep.equal(['a&lt;b\n<i>——摘自《x&amp;y》</i>']);
  });

  it('bolds the span that answers, once, in the body only, escaped', () => {
    expect(toHtmlMessages('5年期3.05%<,3.05%\n——摘自《3.05%》', undefined, '3.05%<')).to.deep.equal([
      '5年期<b>3.05%&lt;</b>,3.05%\n<i>——摘自《3.05%》</i>',
    ]);
    expect(toHtmlMessages('没有\n——摘自《3.05%》', undefined, '3.05%')).to.deep.equal(['没有\n<i>——摘自《3.05%》</i>']);
  });

  it('keeps a long line with a bold span within the limit', () => {
    for (const m of toHtmlMessages(`${'字'.repeat(5000)}3.05%`, undefined, '3.05%')) {
      expect(m.length).to.be.at.most(MAX_MESSAGE_CHARS);
      expect(parseHtml(m)).to.not.have.property('error');
    }
  });

  it('never returns an empty message', () => expect(toHtmlMessages('')).to.deep.equal(['…']));
  it('escapes the three HTML metacharacters', () => expect(escapeHtml('<a href="x">&</a>')).to.equal('&lt;a href="x"&gt;&amp;&lt;/a&gt;'));
});

describe('Conversations', () => {
  it('keeps one conversation per chat and forgets the least recent beyond its size', async () => {
    const c = new MemoryConversations(2);
    const a = await c.get(1);
    a.intent = 'fact';
    await c.get(2);
    expect(await c.get(1)).to.equal(a);
    await c.get(3);
    expect(c.size).to.equal(2);
    expect((await c.get(2)).intent).to.equal(undefined); // 2 was the least recent, forgotten
  });
});

describe('SuggestionIds', () => {
  it('gives short stable ids that find their question', () => {
    const ids = new SuggestionIds(['下期民生在线什么时候?']);
    const id = SuggestionIds.idOf('下期民生在线什么时候?');
    expect(Buffer.byteLength(`ask:${id}`)).to.be.at.most(64);
    expect(ids.question(id)).to.equal('下期民生在线什么时候?');
    expect(ids.question('nope')).to.equal(undefined);
  });
});
