import { expect } from 'chai';
import { carry, expire, remember, type Conversation } from '../../src/core/conversation.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { analyse } from '../../src/core/question.js';
import { engineFor, SEED_CORPUS } from '../helpers.js';

const knowledge = engineFor(SEED_CORPUS).knowledge;
const read = (q: string) => analyse(q, knowledge, DEFAULT_OPTIONS);

describe('conversation', () => {
  it('carries the topic, an entity of the same kind replacing the old one', () => {
    const chat: Conversation = {};
    remember(chat, read('工行个人养老金储蓄3年期的利率是多少'), 'fact');
    const carried = carry(chat, read('那5年期的呢?'), knowledge, DEFAULT_OPTIONS)!;
    const keys = carried.keys.map((k) => k.key);
    expect(keys).to.include.members(['工商银行', '个人养老金', '利率', '5年期']);
    expect(keys).not.to.include('3年期');
    expect(carried.types).to.deep.equal(['number']); // the topic's kind of answer, the question naming none
  });

  it('replaces a district named by its short name', () => {
    const chat: Conversation = {};
    remember(chat, read('李沧家庭医生签了多少人'), 'fact');
    const keys = carry(chat, read('城阳区呢'), knowledge, DEFAULT_OPTIONS)!.keys.map((k) => k.key);
    expect(keys).to.include('城阳区').and.not.include('李沧');
  });

  it("weighs less, when an entity is replaced, the topic's words older than the last question", () => {
    const chat: Conversation = {};
    remember(chat, read('李沧老旧小区改造涉及多少户居民'), 'fact');
    const follow = carry(chat, read('居民楼呢'), knowledge, DEFAULT_OPTIONS)!;
    remember(chat, follow, 'fact');
    expect(chat.topic!.said).to.include('住宅楼').and.not.include('老旧小区改造');
    const carried = carry(chat, read('城阳区呢'), knowledge, DEFAULT_OPTIONS)!;
    const weight = (key: string) => carried.weights[carried.keys.findIndex((k) => k.key === key)];
    expect(weight('老旧小区改造')).to.equal(DEFAULT_OPTIONS.backgroundWeight);
    expect(weight('住宅楼')).to.equal(1);
    expect(weight('城阳区')).to.equal(1);
  });

  it('replaces a reporter the bylines name with another one', () => {
    const chat: Conversation = {};
    remember(chat, read('记者丁倩倩报道的是哪条新闻'), 'fact');
    const keys = carry(chat, read('那刘卓毅呢'), knowledge, DEFAULT_OPTIONS)!.keys.map((k) => k.key);
    expect(keys).to.include.members(['记者', '刘卓毅']).and.not.include('丁倩倩');
  });

  it('keeps as the topic the words that weigh in full, a name once, all of them weighing in full again', () => {
    const chat: Conversation = {};
    remember(chat, read('工行是哪位领导上的李沧之春'), 'fact');
    // "领导" only says what kind of answer was asked; the name's characters are kept as the name
    expect(chat.topic!.keys).to.include.members(['工商银行', '李沧之春']).and.not.include.members(['领导', '李', '沧', '春']);
    const carried = carry(chat, read('他是啥职务'), knowledge, DEFAULT_OPTIONS)!;
    expect(carried.weights.every((w) => w === 1)).to.equal(true);
    expect(carried.types).to.deep.equal(['person']); // a post is asked of a person
  });

  it('has nothing to carry without a topic, or after a schedule question', () => {
    expect(carry({}, read('那5年期的呢?'), knowledge, DEFAULT_OPTIONS)).to.equal(undefined);
    const chat: Conversation = {};
    remember(chat, read('下期民生在线什么时候'), 'schedule');
    expect(carry(chat, read('哪个单位'), knowledge, DEFAULT_OPTIONS)).to.equal(undefined);
  });

  it('forgets a conversation left alone too long', () => {
    const chat: Conversation = {};
    expire(chat, 0, 1000);
    remember(chat, read('工行个人养老金储蓄3年期的利率是多少'), 'fact');
    expire(chat, 500, 1000);
    expect(chat.topic).not.to.equal(undefined);
    expire(chat, 2000, 1000);
    expect(chat.topic).to.equal(undefined);
  });
});
