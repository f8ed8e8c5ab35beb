import { expect } from 'chai';
import type { Conversation } from '../../src/core/engine.js';
import { corpusOf, engineFor, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

describe('the 民生在线 sessions in a conversation', () => {
  const engine = () => engineFor(corpusOf(SEED_CORPUS, SECOND_PAGE_CORPUS));

  it('finds the preview printed after a session named by its guest', async () => {
    const chat: Conversation = {};
    const rural = await engine().ask('青岛农商银行那一期之后的预告是哪个单位', chat);
    expect(rural.intent).to.equal('schedule');
    expect(rural.reply).to.include('市医疗保障局');
    // and the conversation stays with that session
    const time = await engine().ask('几点开始', chat);
    expect(time.reply).to.include('9:30');
    const icbc = await engine().ask('工商银行那期之后的预告是哪个单位', {});
    expect(icbc.reply).to.include('市生态环境局');
  });

  it('keeps a follow-up the topic answers on that topic, though the classifier reads it as a schedule question', async () => {
    const chat: Conversation = {};
    await engine().ask('中诚祥杯是哪个区承办的', chat);
    const teams = await engine().ask('有几支队参加', chat);
    expect(teams.intent).to.equal('fact');
    expect(teams.reply).to.include('16支');
  });
});
