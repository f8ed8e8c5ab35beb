import { expect } from 'chai';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { analyse } from '../../src/core/question.js';
import { engineFor, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

const knowledge = engineFor(SEED_CORPUS).knowledge;
const read = (q: string) => analyse(q, knowledge, DEFAULT_OPTIONS);

describe('analyse', () => {
  describe('takes out the words that only ask', () => {
    const cases = [
      { q: '帮我查一下下期民生在线啥时候呀', keys: ['下期', '民生在线'] },
      { q: '工行养老金5年期利率多少呗', keys: ['工商银行', '养老金', '5年期', '利率'] },
      { q: '请问李沧之春是第几届', keys: ['李', '沧', '春', '李沧之春'] },
      { q: '课后服务收不收费', keys: ['课后服务', '收', '收费'] },
      { q: '首贷中心能办贷款不', keys: ['首贷', '中心', '办', '贷款'] },
      { q: '养老金存一年多少钱', keys: ['养老金', '存', '一年'] },
      { q: '坐12路一次多少钱', keys: ['坐', '12路'] },
      { q: '坐12路一次几块钱', keys: ['坐', '12路'] },
      { q: '有几支队参赛', keys: ['队', '参赛'] },
      { q: '那年李沧改造的老旧小区有哪些', keys: ['李', '沧', '李沧', '改造', '老旧小区'] },
      { q: '有多少个人养老金账户', keys: ['个人养老金', '账户'] },
      { q: '首贷中心搬到哪去了', keys: ['首贷', '中心', '搬'] },
      { q: '哪一个人代表工行做客民生在线', keys: ['代表', '工商银行', '做客', '民生在线'] },
      { q: '工行于哪一年开始做客民生在线', keys: ['工商银行', '开始', '做客', '民生在线'] },
      { q: '几何课本又称为什么', keys: ['几何', '课本', '又称'] },
    ];
    for (const { q, keys } of cases) it(`${q} → ${keys.join(' ')}`, () => expect(read(q).keys.map((k) => k.key)).to.deep.equal(keys));
  });

  describe('tells what kind of answer is wanted', () => {
    const cases = [
      { q: '签约了多少居民', types: ['number'] },
      { q: '会议啥时候开的', types: ['time'] },
      { q: '医保局那一期在星期几', types: ['time'] },
      { q: '谁代表工行做客民生在线', types: ['person'] },
      { q: '首贷中心在哪', types: ['place'] },
      { q: '为什么要推行课后服务', types: ['reason'] },
      { q: '有哪些场景化信用贷款', types: ['list'] },
      { q: '新建了哪几所学校', types: ['list'] },
      { q: '会议提出了哪两项要求', types: ['list'] },
      // what changed, or what use something is, is no list
      { q: '公交票价有什么变化', types: [] },
      { q: '菜市场有啥摊位', types: ['list'] },
      { q: '李沧有课后服务吗', types: ['yesno'] },
      { q: '首贷中心搬到哪去了', types: ['place'] },
      { q: '到哪一年完成', types: ['time'] },
      { q: '哪一个人负责验收', types: ['person'] },
      // "在哪一年" asks when, not where
      { q: '栈桥在哪一年翻修', types: ['time'] },
      { q: '栈桥在哪一位市长任上翻修', types: ['person'] },
      { q: '新校区归哪一所学校', types: ['org'] },
      { q: '李沧有课后服务没', types: ['yesno'] },
      { q: '课后服务收不收费', types: ['yesno'] },
      { q: '课后服务能延长不', types: ['yesno'] },
      { q: '周末能去不，开到几点', types: ['time', 'yesno'] },
      // "几何", "几乎" ask nothing; "称为什么" asks a name, not a reason; "公元几年" asks a year
      { q: '几何课本又称为什么', types: [] },
      { q: '几乎每个社区都开了食堂吗', types: ['yesno'] },
      { q: '栈桥公元几年建成', types: ['time', 'number'] },
      // where a region or country is asked, when an era is; what features something has is no list
      { q: '这种海鸥分布在什么地区', types: ['place'] },
      { q: '这位船长是哪国人', types: [] },
      { q: '这位船长来自哪国', types: ['place'] },
      { q: '这座炮台是什么时期修的', types: ['time'] },
      { q: '新校区有什么特点', types: [] },
      { q: '这一局算为什么', types: [] },
      // "哪一人", "哪一机构", "哪一地区" ask who, which organisation, where; "时后" typed for 时候 asks when
      { q: '栈桥被哪一人修好的', types: ['person'] },
      { q: '栈桥归哪一机构管', types: ['org'] },
      { q: '这种海鸥来自哪一地区', types: ['place'] },
      { q: '栈桥在什么时后修好的', types: ['time'] },
      // a question that ends "……为?" asks the kind its last noun names
      { q: '负责管理栈桥的单位为?', types: ['org'] },
      { q: '栈桥修好的时间是?', types: ['time'] },
      { q: '栈桥当年的设计者为?', types: ['person'] },
    ];
    for (const { q, types } of cases) it(`${q} → ${types.join(',')}`, () => expect(read(q).types).to.deep.equal(types));
  });

  describe('reads the unit a number is asked in', () => {
    const cases: Array<[string, string | undefined]> = [
      ['有多少所中小学', '家|处|个|所|座'],
      ['多少家食堂', '家|处|个|所|座'],
      ['涉及几栋楼', '栋|幢|座'],
      ['多少人参赛', '人|名|位'],
      ['举办了多少届', '届'],
      ['破了多少起案子', '起'],
      ['绿道有多长', '米|公里'],
      ['新建的公园有多大', '平方|亩|公顷'],
      ['利率多少', '%|个百分点'],
      ['签约了多少居民', undefined],
      ['孩子多大能上幼儿园', '周?岁'],
      ['老人几岁能办卡', '周?岁'],
    ];
    for (const [q, unit] of cases) it(`${q} → ${unit}`, () => expect(read(q).measure).to.equal(unit));
  });

  it('leaves out the measure word a count is asked in ("多少栋楼" asks of 楼)', () => {
    const keys = read('老楼修了多少栋楼').keys.map((k) => k.key);
    expect(keys).to.include('楼');
    expect(keys).to.not.include('栋');
    expect(keys).to.not.include('栋楼');
  });

  it('leaves out the unit a price is asked for ("一斤", "一趟"): the page prints the price', () => {
    expect(read('黄花鱼一斤多少钱').keys.map((k) => k.key)).to.not.include('一斤');
    expect(read('坐轮渡来回一趟多少钱').keys.map((k) => k.key)).to.not.include('一趟');
    expect(read('黄花鱼一斤有多重').keys.map((k) => k.key)).to.include('一斤');
  });

  it('reads numbers written in words as digits', () => {
    expect(read('个人养老金五年期利率').keys.map((k) => k.key)).to.include('5年期');
    expect(read('百分之三点零五是几年期的利率').norm).to.include('3.05%');
  });

  it('repairs a name typed with a character of the same sound', () => {
    const q = read('刘桌毅拍的照片是哪里');
    expect(q.repaired).to.deep.equal([{ typed: '刘桌毅', read: '刘卓毅' }]);
    expect(q.norm).to.include('刘卓毅');
  });

  it('re-reads a word jieba misread as the corpus words over its characters', () => {
    const second = engineFor(SECOND_PAGE_CORPUS).knowledge;
    const keys = analyse('城阳新建改建了几所幼儿园', second, DEFAULT_OPTIONS).keys.map((k) => k.key);
    expect(keys).to.include.members(['城阳', '新建']);
    expect(keys).not.to.include('阳新');
  });

  it('reads a name with a stop word inside it ("李沧之春") whole in the character channel', () => {
    expect(read('今年办的李沧之春是第几届').bigrams).to.include.members(['沧之', '之春']);
  });

  it('weighs the noun "哪一种" asks about as background: the page names the answer, not its kind', () => {
    const q = read('哪一种贷款利率最低');
    expect(q.keys.map((k) => k.key)).to.deep.equal(['贷款', '利率', '最低']);
    expect(q.weights).to.deep.equal([DEFAULT_OPTIONS.backgroundWeight, 1, 1]);
  });

  it('weighs "开始" or "结束" right after the words that ask when as background: pages say "自6月8日起"', () => {
    const q = read('公交啥时候开始延伸');
    const weight = (key: string) => q.weights[q.keys.findIndex((k) => k.key === key)];
    expect(weight('开始')).to.equal(DEFAULT_OPTIONS.backgroundWeight);
    expect(weight('延伸')).to.equal(1);
    expect(read('开始延伸是啥时候').weights).to.not.include(DEFAULT_OPTIONS.backgroundWeight);
  });

  it('weighs the clause that asks in full and the background less', () => {
    const q = read('我家住在附近小区,想问问李沧家庭医生签约了多少人');
    const weight = (key: string) => q.weights[q.keys.findIndex((k) => k.key === key)];
    expect(weight('家庭医生')).to.equal(1);
    expect(weight('小区')).to.equal(DEFAULT_OPTIONS.backgroundWeight);
  });

  it('finds entities, a district named without 区 among them', () => {
    expect(read('李沧家庭医生签了多少人').entities.map((e) => [e.kind, e.text])).to.deep.include(['place', '李沧区']);
    expect(read('崂山区有多少人签约了家庭医生').entities.map((e) => [e.kind, e.text])).to.deep.include(['place', '崂山区']);
    expect(read('二季度发了多少救助金').entities.map((e) => [e.kind, e.text])).to.deep.include(['period', '2季度']);
    expect(read('孕产妇双直免属于哪个区的项目').entities).to.deep.equal([]);
    // a kind of area names no place; after a name it is part of the name
    expect(read('景区停车区在哪').entities).to.deep.equal([]);
    expect(read('泉心河游览区门票多少钱').entities.map((e) => [e.kind, e.text])).to.deep.equal([['place', '泉心河游览区']]);
  });

  it('knows a follow-up by its marks and its pronouns', () => {
    expect(read('那5年期的呢?').marked).to.equal(true);
    expect(read('起存金额呢').marked).to.equal(true);
    expect(read('他负责什么').refersBack).to.equal(true);
    expect(read('李沧家庭医生签了多少人').marked || read('李沧家庭医生签了多少人').refersBack).to.equal(false);
  });

  it('reads whether an hour, a year or a day is asked for', () => {
    expect(read('菜市场几点开门').time).to.equal('clock');
    expect(read('公园是哪一年建成的').time).to.equal('year');
    expect(read('游泳馆从几号开放').time).to.equal('day');
    expect(read('绿道什么时候建成').time).to.equal(undefined);
    expect(read('绿道有多长').time).to.equal(undefined);
  });

  it('names the details it asks for from the lexicon', () => {
    expect(read('金融服务站联系电话多少').details.length).to.equal(1);
    expect(read('乡村振兴金融服务站有几家').details).to.deep.equal([]);
    // where a place is, an address answers; where someone was born, a region
    expect(read('金融服务站在哪里').details.length).to.equal(1);
    expect(read('金融服务站在哪').details.length).to.equal(1);
    expect(read('金融服务站在哪一年设立的').details).to.deep.equal([]);
    expect(read('那位老船长的出生地在哪里').details).to.deep.equal([]);
    // a list's names are a detail; a person's name is what a question of who asks for anyway
    expect(read('首批示范点都叫啥名').details.length).to.equal(1);
    expect(read('写这篇报道的记者叫啥名字').details).to.deep.equal([]);
    // a share is given as a percentage, not as a count
    expect(read('家庭医生签约率是多少').details).to.deep.equal([['%', '成']]);
    // asked which way a rate changed, not by how much, a fact that says so gives it
    expect(read('房贷利率有啥变化').details[0]).to.include('下调');
    expect(read('房贷利率下调了多少').details[0]).to.not.include('下调');
    // a winner is asked of a sentence that names one, not of one that counts the teams
    expect(read('社区篮球赛冠军是哪个队').details.length).to.equal(1);
    // a word the synonyms read as a detail's word asks for it too ("要钱" is 收费)
    expect(read('图书馆停车要钱吗').details[0]).to.include('免费');
  });
});
