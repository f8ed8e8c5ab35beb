import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { analyse } from '../../src/core/question.js';
import { retrieve, type FeatureName } from '../../src/core/retrieve.js';
import { engineFor } from '../helpers.js';

/** A page of the newsroom's web kind: a title line, then paragraphs. */
const PAGE = [
  '海泊路菜市场改造后重新开业',
  '',
  '海泊路菜市场改造工程2021年启动，3月1日菜市场重新开门迎客。',
  '菜市场营业时间为每天5:30至18:00。',
  '以前菜市场晚上没有灯，摊主都早早收摊。',
  '今年菜市场举办了第二届海鲜节，吸引市民3万人次。',
  '今年菜市场又新增摊位12个，又新建长者食堂2处。',
  '市场第一次先开了海鲜区、蔬菜区。',
  '改造后市场共设摊位86个，周边还建成长者食堂36处。',
  '',
  '1998年，海泊路一带启动旧城改造。这一年，菜市场的前身海泊路早市也搬进了大棚。',
  '',
  '3月28日上午，全市所长会议召开。',
  '',
  '改造涉及摊位86个、楼座3栋、居民120户。',
  '新开的摊位有：海鲜、蔬菜、熟食、粮油。',
].join('\n');

describe('retrieve: what a fact holds of what is asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retrieve-'));
  writeFileSync(join(dir, '2024-05-06-qingdao-news-web-haibo-road-market.txt'), PAGE);
  /** the feature of the candidate fact that contains `text`, asked `q` of a corpus */
  const feature = (corpus: string, q: string, text: string, name: FeatureName) => {
    const { knowledge } = engineFor(corpus);
    const candidates = retrieve(analyse(q, knowledge, DEFAULT_OPTIONS), knowledge, DEFAULT_OPTIONS);
    const c = candidates.find((x) => x.fact.text.includes(text));
    expect(c, `a candidate holding ${text}`).to.not.equal(undefined);
    return c!.features[name];
  };

  /**
   * Rules of reading, each with rows of question, a text of the fact, the feature and its value;
   * asked of the market page above, or of pages of the rule's own (file name → text).
   */
  const rules: Array<{ rule: string; pages?: Record<string, string>; rows: Array<[string, string, FeatureName, number]> }> = [
    {
      rule: 'asked at what hour, a fact without a clock time lacks what is asked, whatever date it gives',
      rows: [
        ['菜市场几点开门', '3月1日', 'detailMissing', 1],
        ['菜市场几点开门', '5:30', 'detailMissing', 0],
        // "晚上" the question says itself tells no hour
        ['菜市场晚上营业到几点', '5:30', 'detailMissing', 0],
        ['菜市场晚上营业到几点', '晚上', 'detailMissing', 1],
        // asked when, a date answers
        ['菜市场什么时候重新开门', '3月1日', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked where or who, "全市" names no place and "所长会议" no person',
      rows: [
        ['所长会议在哪开的', '所长会议召开', 'typeMissing', 1],
        ['所长会议是谁主持的', '所长会议召开', 'typeMissing', 1],
        ['早市搬到哪里了', '海泊路早市', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked which one, a sentence whose subject refers back and that adds little to the question does not name it',
      pages: {
        '2024-06-02-qingdao-news-web-choir.txt':
          '海风合唱团\n\n海风合唱团成立于1998年。同时，该团也是全市规模最大的业余合唱团。该团现有团员120名，每周六在市民中心排练。\n',
      },
      rows: [
        ['哪一个团是全市规模最大的业余合唱团', '该团也是', 'detailMissing', 1],
        // asked how many, the figure may well follow "该团"
        ['这个团有多少名团员', '该团现有团员', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked where, the place the question names itself is not where',
      pages: {
        '2024-06-01-qingdao-news-web-shinan-clinic.txt':
          '市南区家庭医生签约居民达20万人\n\n今年市南区家庭医生签约居民达到20万人。居民可到八大关街道社区卫生服务中心签约。\n',
      },
      rows: [
        ['市南区家庭医生去哪签', '签约居民达到20万人', 'typeMissing', 1],
        ['市南区家庭医生去哪签', '八大关街道', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked how many, a year is no count',
      rows: [
        ['菜市场有几个摊位', '2021年', 'typeMissing', 1],
        ['菜市场有几个摊位', '86个', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked what is on a list, names one after another hold it and figures one after another do not',
      rows: [
        ['新开的摊位都有哪些', '海鲜、蔬菜', 'typeFound', 1],
        ['新开的摊位都有哪些', '居民120户', 'typeMissing', 1],
        ['市场开了哪两个区', '海鲜区、蔬菜区', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked how many in all, a figure of how many were added is no answer',
      rows: [
        ['菜市场现在一共有多少个摊位', '新增摊位12个', 'typeMissing', 1],
        ['菜市场现在一共有多少个摊位', '共设摊位86个', 'typeFound', 1],
        ['菜市场现在一共有多少处长者食堂', '共设摊位86个', 'measureFound', 1],
        ['菜市场现在一共有多少处长者食堂', '新增摊位12个', 'measureMissing', 1],
        // an ordinal counts nothing, unless one is asked
        ['市场开了多少个区', '第一次', 'typeMissing', 1],
        // asked how many were added, it is
        ['菜市场新增了多少个摊位', '新增摊位12个', 'typeFound', 1],
      ],
    },
    {
      rule: 'a fact about another edition than the one asked ("第二届" for "第三届") is about something else',
      rows: [
        ['第三届海鲜节吸引了多少人', '第二届', 'entityClash', 1],
        ['第二届海鲜节吸引了多少人', '第二届', 'entityClash', 0],
      ],
    },
    {
      rule: 'reads measure words that count the same things alike',
      rows: [
        ['建了多少家长者食堂', '36处', 'measureFound', 1],
        ['建了多少家长者食堂', '2021年', 'measureMissing', 1],
      ],
    },
    {
      rule: 'asked what a term is, a sentence that opens a clause with it and says 是/指/为 defines it, not any 是',
      pages: {
        '2024-05-06-qingdao-news-web-morning-market.txt':
          '早市\n\n早市是指清晨在路边开的集市。海泊路早市是老街坊常去的地方。老早市的占地面积为两千平方米。\n',
        '2024-05-07-qingdao-news-web-night-market.txt':
          '夜市与骑楼\n\n夜市（又称夜集），也称为晚市，指夜间营业的集市。骑楼，是一种沿街建筑。骑楼，由商铺和人行道组成，多见于南方。\n' +
          '骑楼作为岭南建筑的代表，常见于老街。\n',
      },
      rows: [
        ['什么是早市', '早市是指', 'typeFound', 1],
        ['早市是什么', '早市是指', 'typeFound', 1],
        ['什么是早市', '老早市的占地面积为', 'typeFound', 0],
        ['什么是早市', '海泊路早市是', 'typeFound', 0],
        // another name, in brackets or in a clause of its own, may stand between the term and 是/指
        ['什么是夜市', '夜市（又称夜集），也称为晚市，指', 'typeFound', 1],
        ['什么是骑楼', '骑楼，是一种', 'typeFound', 1],
        ['什么是骑楼', '骑楼，由商铺', 'typeFound', 0],
        // "作为", "成为", "因为" define nothing
        ['什么是骑楼', '骑楼作为岭南建筑', 'typeFound', 0],
      ],
    },
    {
      rule: 'an article on other bus routes or metro lines than the one asked about, or on none when the pages have it, is about something else',
      pages: {
        '2024-05-06-qingdao-news-web-bus-25.txt': '公交25路调整\n\n公交25路票价为一票制2元。\n',
        '2024-05-07-qingdao-news-web-metro-6.txt': '地铁6号线开通\n\n地铁6号线全长30公里。\n',
        '2024-05-08-qingdao-news-web-ferry.txt': '轮渡调价\n\n轮渡票价为每人8元。\n',
      },
      rows: [
        ['6号线票价是多少', '票价为一票制', 'entityClash', 1],
        ['25路票价多少钱', '票价为一票制', 'entityClash', 0],
        ['25路票价多少钱', '每人8元', 'entityClash', 1],
        ['12路票价多少钱', '每人8元', 'entityClash', 0],
      ],
    },
    {
      rule: 'a word of time the question says itself ("下午" of "下午几点散场") tells no hour',
      pages: {
        '2024-05-09-qingdao-news-web-night-market.txt': '夜市开放\n\n台东夜市下午人很多。台东夜市开放时间为17:00至23:00。\n',
      },
      rows: [
        ['台东夜市下午几点散场', '下午人很多', 'typeFound', 0],
        ['台东夜市下午几点散场', '17:00', 'typeFound', 1],
      ],
    },
    {
      rule: 'asked until when or when it is done, a fact that gives only when something began does not say',
      pages: {
        '2024-05-10-qingdao-news-web-sailing-week.txt': '帆船周开幕\n\n帆船周6月28日在奥帆中心开幕。本届帆船周持续至7月6日。\n',
      },
      rows: [
        ['帆船周到哪天结束', '6月28日在奥帆中心开幕', 'typeFound', 0],
        ['帆船周到哪天结束', '持续至7月6日', 'typeFound', 1],
        ['帆船周哪天开幕', '6月28日在奥帆中心开幕', 'typeFound', 1],
        // and lacks the detail asked, so that it is never given as the answer
        ['帆船周到哪天结束', '6月28日在奥帆中心开幕', 'detailMissing', 1],
        ['帆船周啥时候能完工', '持续至7月6日', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked from when to when, a fact that gives no span lacks the detail asked',
      pages: {
        '2024-05-10-qingdao-news-web-lantern-fair.txt': '灯会开幕\n\n灯会6月1日18:00开幕。灯会每天18:00至22:30开放。\n',
      },
      rows: [
        ['灯会几点到几点开放', '18:00开幕', 'detailMissing', 1],
        ['灯会几点到几点开放', '18:00至22:30', 'detailMissing', 0],
        ['灯会几点开幕', '18:00开幕', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked where something was held, a fact that does not say where lacks the detail asked',
      pages: {
        '2024-05-13-qingdao-news-web-forum.txt':
          '海洋论坛开幕\n\n5月12日上午，海洋论坛开幕。论坛在西海岸新区国际会议中心举行，为期两天。\n',
      },
      rows: [
        ['海洋论坛是在哪儿举行的', '5月12日上午', 'detailMissing', 1],
        ['海洋论坛是在哪儿举行的', '国际会议中心举行', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked the most or the least of something, a fact that gives no bound does not say',
      pages: {
        '2024-05-14-qingdao-news-web-startup-loan.txt':
          '创业贷款政策发布\n\n今年已发放创业贷款1200笔。创业贷款额度最高30万元。室内温度不得低于18℃。\n',
      },
      rows: [
        ['创业贷款最多能贷多少', '发放创业贷款1200笔', 'detailMissing', 1],
        ['创业贷款最多能贷多少', '最高30万元', 'detailMissing', 0],
        ['室内温度最低多少度', '不得低于18℃', 'detailMissing', 0],
        ['今年发放了多少笔创业贷款', '发放创业贷款1200笔', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked when a road opens to traffic, a fact that says something else was completed does not say',
      pages: {
        '2024-05-12-qingdao-news-web-expressway.txt': '快速路建设提速\n\n快速路沿线征迁提前完成。新的快速路将于6月30日通车。\n',
      },
      rows: [
        ['新的快速路哪天能通车', '征迁提前完成', 'detailMissing', 1],
        ['新的快速路哪天能通车', '6月30日通车', 'detailMissing', 0],
      ],
    },
    {
      rule: 'asked the price of a thing the pages name, a fact that names none of it gives no price of it',
      pages: {
        '2024-05-11-qingdao-news-web-beer-festival.txt': '啤酒节开幕\n\n啤酒城门票每张50元。城内啤酒1升装35元。菜市场的黄花鱼每斤30块。\n',
      },
      rows: [
        ['啤酒城门票多少钱', '1升装35元', 'detailMissing', 1],
        ['啤酒城门票多少钱', '门票每张50元', 'detailMissing', 0],
        ['啤酒城的啤酒多少钱', '1升装35元', 'detailMissing', 0],
        // a price as people say it
        ['菜市场黄花鱼卖多少钱', '每斤30块', 'detailMissing', 0],
        ['菜市场黄花鱼卖多少钱', '每斤30块', 'measureFound', 1],
      ],
    },
    {
      rule: 'asked anything but yes or no, a fact that only restates the question does not answer it',
      pages: {
        '2024-05-15-qingdao-news-web-lighthouse.txt':
          '灯塔修缮完工\n\n团岛灯塔建于1900年。它是青岛港最早的导航灯塔。灯塔由港务部门负责维护。\n',
      },
      rows: [
        ['哪一座灯塔是青岛港最早的导航灯塔', '它是青岛港最早', 'detailMissing', 1],
        ['哪个部门负责维护灯塔', '港务部门负责维护', 'detailMissing', 0],
        ['团岛灯塔是青岛港最早的导航灯塔吗', '它是青岛港最早', 'detailMissing', 0],
      ],
    },
    {
      rule: 'in an article headed by a name, a fact without a word of what is asked beyond the name says only what it is about',
      pages: {
        '2024-05-16-qingdao-encyclopedia-lingshan-island.txt': '灵山岛\n\n灵山岛是青岛第一高岛。全岛面积7.66平方公里。\n',
        '2024-05-17-qingdao-news-web-market.txt': '海泊路菜市场改造后重新开业\n\n菜市场营业时间为每天5:30至18:00。\n',
      },
      rows: [
        ['灵山岛的面积多大', '第一高岛', 'detailMissing', 1],
        ['灵山岛的面积多大', '面积7.66平方公里', 'detailMissing', 0],
        // a news headline tells more than a name: the rule is not for it
        ['海泊路菜市场的面积多大', '营业时间', 'detailMissing', 0],
      ],
    },
    {
      rule: 'a figure of the whole city is no figure of the district asked about',
      pages: {
        '2024-05-06-qingdao-news-web-chengyang-parks.txt': '城阳区新建口袋公园\n\n城阳区今年新建口袋公园12处。\n',
        '2024-05-07-qingdao-news-web-service-stations.txt': '便民服务站开门\n\n全市设立便民服务站26家，为居民提供代缴水电费等服务。\n',
      },
      rows: [
        ['城阳有几家便民服务站', '26家', 'entityClash', 1],
        ['全市有几家便民服务站', '26家', 'entityClash', 0],
      ],
    },
    {
      rule: 'a fact that names a district by its short name is about that district ("崂山风景区" is in 崂山区)',
      pages: {
        '2024-05-06-qingdao-news-web-chengyang-parks.txt': '城阳区新建口袋公园\n\n城阳区今年新建口袋公园12处。\n',
        '2024-05-08-qingdao-news-web-laoshan-tickets.txt': '崂山风景区门票半价\n\n即日起崂山风景区门票半价，市南区居民另有优惠。\n',
        '2024-05-09-qingdao-news-web-laoshan-parks.txt': '崂山区新建口袋公园\n\n崂山区今年新建口袋公园8处。\n',
      },
      rows: [
        ['崂山区景区门票多少钱', '门票半价', 'entityClash', 0],
        ['城阳区景区门票多少钱', '门票半价', 'entityClash', 1],
      ],
    },
    {
      rule: 'asked which district or community, a fact must name one ("区域" and "全市" name none)',
      pages: {
        '2024-06-01-qingdao-news-web-canteens.txt':
          '长者食堂再添新点\n\n全市长者食堂多建在老年人聚集的区域，目前共36处。\n新开的3处长者食堂分布在市北区、李沧区和崂山区。\n其中一处开在浮山后社区。\n',
      },
      rows: [
        ['长者食堂都开在哪些区', '区域', 'detailMissing', 1],
        ['长者食堂都开在哪些区', '市北区', 'detailMissing', 0],
        ['新开的食堂在哪个社区', '浮山后社区', 'detailMissing', 0],
        ['新开的食堂在哪个社区', '市北区', 'detailMissing', 1],
      ],
    },
    {
      rule: 'asked which year, an era\'s year gives it ("民国18年", "同治元年")',
      pages: {
        'haibo-road-early-market.txt': '海泊路早市\n\n海泊路早市始建于民国18年。\n早市的大棚建于同治元年。\n早市后来搬进了大棚。\n',
      },
      rows: [
        ['海泊路早市是哪一年建的', '民国18年', 'typeFound', 1],
        ['早市的大棚是哪一年建的', '同治元年', 'typeFound', 1],
        ['早市是哪一年搬进大棚的', '搬进了大棚', 'typeMissing', 1],
      ],
    },
    {
      rule: 'what is asked about, right before the question word, is noticed when no page uses it ("利润是多少")',
      rows: [
        ['菜市场利润是多少', '摊位86个', 'focusUnknown', 1],
        ['菜市场摊位是多少', '摊位86个', 'focusUnknown', 0],
        // the word after it is as often a verb of one's own
        ['谁操办的海鲜节', '海鲜节', 'focusUnknown', 0],
      ],
    },
  ];
  for (const { rule, pages, rows } of rules) {
    it(rule, () => {
      let corpus = dir;
      if (pages) {
        corpus = mkdtempSync(join(tmpdir(), 'retrieve-rule-'));
        for (const [name, text] of Object.entries(pages)) writeFileSync(join(corpus, name), text);
      }
      for (const [q, text, name, value] of rows) expect(feature(corpus, q, text, name), `${q} / ${text} / ${name}`).to.equal(value);
    });
  }

  it('reads a sentence that refers back ("这一年") with the sentence before it, and answers with both', async () => {
    const { knowledge } = engineFor(dir);
    const question = analyse('早市哪一年搬进了大棚', knowledge, DEFAULT_OPTIONS);
    const c = retrieve(question, knowledge, DEFAULT_OPTIONS).find((x) => x.fact.text.startsWith('这一年'))!;
    expect(c.antecedent?.text).to.include('1998年');
    expect(c.features.typeFound).to.equal(1);
    const answer = await engineFor(dir).ask('早市哪一年搬进了大棚');
    expect(answer.answered).to.equal(true);
    expect(answer.reply.indexOf('1998年')).to.be.within(0, answer.reply.indexOf('这一年'));
  });

  it('asked which account published a story, its byline is no fact without the detail asked', () => {
    const sourceDir = mkdtempSync(join(tmpdir(), 'retrieve-source-'));
    writeFileSync(
      join(sourceDir, '2024-05-06-source.txt'),
      ['台东夜市恢复营业', '', '内容来源：青岛发布', '', '台东夜市5月6日起恢复营业，共有摊位120个。'].join('\n'),
    );
    const { knowledge } = engineFor(sourceDir);
    const question = analyse('台东夜市恢复营业是哪个公众号发的', knowledge, DEFAULT_OPTIONS);
    const byline = retrieve(question, knowledge, DEFAULT_OPTIONS).find((x) => x.fact.kind === 'byline');
    expect(byline?.fact.text).to.include('青岛发布');
    expect(byline!.features.detailMissing).to.equal(0);
  });
});
