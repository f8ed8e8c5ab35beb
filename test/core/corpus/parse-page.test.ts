import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseByline, parsePage, pageYear } from '../../../src/core/corpus/parse-page.js';
import { SECOND_PAGE_CORPUS, SEED_CORPUS } from '../../helpers.js';

/** A page's paragraphs as [section, text] pairs, '' where a paragraph has no section. */
const sectioned = (page: ReturnType<typeof parsePage>) => page.articles.flatMap((a) => a.paragraphs).map((p) => [p.section ?? '', p.text]);

const pageIn = (dir: string) => {
  const name = readdirSync(dir).find((n) => n.endsWith('.txt'))!;
  return parsePage(name, readFileSync(join(dir, name), 'utf8'), 2000);
};

describe('parsePage', () => {
  describe('the seed page, as printed', () => {
    const page = pageIn(SEED_CORPUS);
    const [licang, police, bank] = page.articles;

    it('works out the year from the text', () => expect(page.year).to.equal(2023));
    it('finds three articles', () => expect(page.articles).to.have.length(3));

    it('reads kickers and headlines', () => {
      expect(licang!.headline).to.equal('李沧公布一季度“民生答卷”');
      expect(licang!.kickers[0]).to.match(/^推行课后服务/);
      expect(police!.headline).to.equal('全市公安局长会议召开 聚焦平安青岛、法治青岛建设');
      expect(bank!.kickers).to.deep.equal(['工行青岛市分行副行长丛德有做客民生在线,回应网友关心的热点问题']);
    });

    it('takes the dateline off the first paragraph', () => {
      expect(police!.dateline).to.equal('本报3月29日讯');
      expect(police!.date).to.equal('2023-03-29');
      expect(police!.paragraphs[0]!.text).to.match(/^3月28日上午/);
    });

    it('keeps photo captions out of the paragraphs', () => {
      expect(licang!.captions).to.deep.equal(['人潮涌动的李村夜市。刘卓毅 摄']);
      expect(licang!.paragraphs.some((p) => p.text.includes(' 摄'))).to.equal(false);
    });

    it('reads section headings', () => {
      const sections = [...new Set(licang!.paragraphs.map((p) => p.section).filter(Boolean))];
      expect(sections).to.deep.equal(['教育温暖人心', '医疗稳步发展', '文体活动丰富', '环境优美宜居', '养老救助暖心', '社会和谐有序']);
    });

    const repaired = [
      '以人民健康为中心”转变',
      '是否有合适的金融产品',
      '摆在经济工作的优先位置',
      '以锻造公安铁军为保证',
      '健全完善捍卫',
      '10个公园城市建设项目',
    ];
    for (const joined of repaired) {
      it(`repairs the layout break in "${joined}"`, () => {
        expect(page.articles.some((a) => a.paragraphs.some((p) => p.text.includes(joined)))).to.equal(true);
      });
    }

    it('reads bylines with and without parentheses', () => {
      expect(licang!.byline).to.deep.include({ outlets: ['观海新闻', '青岛晚报'], reporters: ['刘卓毅'], correspondents: ['丁之'] });
      expect(bank!.byline).to.deep.include({ outlets: ['观海新闻', '青报全媒体'], reporters: ['丁倩倩'] });
    });

    it('parses the 民生在线 preview into a session', () => {
      expect(page.sessions).to.have.length(1);
      expect(page.sessions[0]).to.deep.include({
        start: '2023-03-30T14:30:00+08:00',
        end: '2023-03-30T16:00:00+08:00',
        weekday: 4,
        unit: '市生态环境局',
      });
    });

    it('has no warnings', () => expect(page.warnings).to.deep.equal([]));
  });

  describe('a second page in the same style', () => {
    const page = pageIn(SECOND_PAGE_CORPUS);

    it('reads its articles', () => {
      expect(page.year).to.equal(2024);
      expect(page.articles.map((a) => a.headline)).to.deep.equal(['城阳交出全年“民生账单”', '全市设立26家“乡村振兴金融服务站”']);
      expect(page.articles[0]!.paragraphs.some((p) => p.text.includes('达到86处'))).to.equal(true);
    });

    it('puts a January session announced in December in the next year', () => {
      expect(page.sessions[0]).to.deep.include({
        start: '2025-01-02T09:30:00+08:00',
        end: '2025-01-02T11:00:00+08:00',
        unit: '市医疗保障局',
      });
    });
  });
});

describe('parsePage on briefs and notices', () => {
  const briefs = [
    '一周快讯',
    '',
    '台东步行街夜市开张',
    '台东步行街夜市5月1日起开放，每天17:00至23:00营业，设摊位80个。',
    '',
    '延吉路部分路段夜间施工',
    '因污水管道改造，延吉路（山东路至南京路段）自5月3日起每天22:00至次日5:00封闭施工。施工期间车辆请绕行福州路。',
    '',
    '（半岛记者 赵一鸣 整理）',
  ].join('\n');
  const page = parsePage('2024-05-01-peninsula-news-briefs.txt', briefs, 2000);
  const paragraphs = page.articles.flatMap((a) => a.paragraphs);

  it("reads a brief's headline, set off above its paragraph, as the heading of that paragraph, not as its first words", () => {
    expect(paragraphs.map((p) => p.text)).to.include(
      '因污水管道改造，延吉路（山东路至南京路段）自5月3日起每天22:00至次日5:00封闭施工。施工期间车辆请绕行福州路。',
    );
    expect(paragraphs.find((p) => p.text.startsWith('因污水管道改造'))?.section).to.equal('延吉路部分路段夜间施工');
    expect(paragraphs.some((p) => p.text.startsWith('延吉路部分路段'))).to.equal(false);
  });

  it('reads who compiled the briefs as the reporter, not "整理"', () => {
    expect(page.articles.at(-1)?.byline?.reporters).to.deep.equal(['赵一鸣']);
  });

  const notice = [
    '关于调整公交25路的通告',
    '',
    '自6月1日起，公交25路调整运营时间。现将有关事项通告如下：',
    '首班：6:00',
    '末班：21:30',
    '票价：一票制2元',
    '',
    '特此通告。',
  ].join('\n');
  const read = parsePage('2024-05-20-qingdao-news-web-bus-25.txt', notice, 2000);

  it('reads the fields of a notice ("首班：6:00") as its text, never as headlines', () => {
    expect(read.articles).to.have.length(1);
    expect(read.articles[0]!.headline).to.equal('关于调整公交25路的通告');
    const text = read.articles[0]!.paragraphs.map((p) => [p.text, ...(p.list?.items ?? [])].join(' ')).join(' ');
    expect(text).to.include('首班').and.include('21:30').and.include('一票制2元');
  });

  const repost = [
    '浮山所小学今年招生了！有你家吗？',
    '',
    '今年秋季，市南区两所学校扩大招生范围，都有哪些小区？快来看看吧~',
    '',
    '东海花园',
    '海信山庄',
    '浮山所小区',
    '',
    '【划重点】现场报名',
    '时间：7月10日—7月12日',
    '地点：各学校报名点',
    '',
    '家长需带户口簿原件。',
  ].join('\n');
  const wechat = parsePage('2024-06-30-shinan-release-enrolment.txt', repost, 2000);
  const parts = wechat.articles.flatMap((a) => a.paragraphs);

  it('reads the items after a teaser ending "快来看看吧~" as a list', () => {
    expect(parts.find((p) => p.list)?.list?.items).to.deep.equal(['东海花园', '海信山庄', '浮山所小区']);
  });

  it('reads "【划重点】现场报名" as a section called 现场报名, and the fields under it as one fact', () => {
    const fields = parts.find((p) => p.text.startsWith('时间'));
    expect(fields?.section).to.equal('现场报名');
    expect(fields?.text).to.equal('时间：7月10日—7月12日；地点：各学校报名点');
    expect(parts.find((p) => p.text.startsWith('家长'))?.text).to.equal('家长需带户口簿原件。');
  });

  const post = [
    '🎉好消息！市北这家游泳馆暑期开放啦，价格看这里👇',
    '',
    '市北区体育馆游泳池7月1日起对外开放。',
    '',
    '⏰ 开放时间',
    '每天 9:00—21:00',
    '',
    '💰 票价',
    '成人票：25元',
    '儿童票：15元',
    '',
    '来源：市北发布',
  ].join('\n');
  const pool = parsePage('2024-06-28-shibei-release-pool.txt', post, 2000);

  it('reads a post\'s first line, though it points down at the text ("……👇"), as its headline, without the pictographs', () => {
    expect(pool.articles.map((a) => a.headline)).to.deep.equal(['好消息！市北这家游泳馆暑期开放啦，价格看这里']);
  });

  it('reads a label a pictograph opens ("⏰ 开放时间") as the section of the lines under it, and a price list as one fact', () => {
    expect(sectioned(pool)).to.deep.equal([
      ['', '市北区体育馆游泳池7月1日起对外开放。'],
      ['开放时间', '每天 9:00—21:00'],
      ['票价', '成人票：25元；儿童票：15元'],
    ]);
  });
});

describe('parsePage on a web page with its furniture', () => {
  const web = [
    '台东三路步行街改造完工 5月20日恢复开放',
    '2024-05-18 09:12:40 来源：青岛新闻网',
    '原标题：台东步行街换新颜',
    '',
    '青岛新闻网5月18日讯（记者 周宁）历时三个月，台东三路步行街改造完工，将于5月20日恢复开放。',
    '',
    '【来源：青岛新闻网】',
    '责任编辑：吴凡',
    '',
    '相关新闻',
    '台东夜市新增摊位40个',
    '威海路商圈启动夜间促销',
  ].join('\n');
  const page = parsePage('2024-05-18-qingdao-news-web-taidong.txt', web, 2000);

  it('reads the stamp under the headline ("2024-05-18 09:12:40 来源：青岛新闻网") as its date and outlet, not as a deck', () => {
    const a = page.articles[0]!;
    expect(a.subtitle).to.equal(undefined);
    expect(a.date).to.equal('2024-05-18');
    expect(a.byline?.outlets).to.include('青岛新闻网');
  });

  it('leaves out the replaced headline ("原标题：……"), so the dateline and its reporter are read', () => {
    const a = page.articles[0]!;
    expect(a.byline?.reporters).to.deep.equal(['周宁']);
    expect(a.paragraphs.map((p) => p.text.normalize('NFKC'))).to.deep.equal(['历时三个月,台东三路步行街改造完工,将于5月20日恢复开放。']);
  });

  it('reads "【来源：……】" as a source, and leaves out the headlines listed under "相关新闻"', () => {
    expect(page.articles).to.have.length(1);
    expect(page.articles[0]!.byline?.editors).to.deep.equal(['吴凡']);
    expect(page.warnings).to.deep.equal([]);
  });
});

describe('parsePage on guides: questions and answers, tables', () => {
  const guide = [
    '燃气灶打不着火怎么办？这些办法请收好',
    '半岛全媒体记者 钱明',
    '近日，不少市民咨询燃气使用问题，记者采访了燃气公司客服中心。',
    'Q：换燃气表要收费吗？',
    'A：正常使用损坏的燃气表由燃气公司免费更换。',
    '各区燃气抢修电话',
    '序号 区域 抢修电话',
    '1 市南区 82861234',
    '2 李沧区 87655432',
    '客服中心工作时间为每天8:30至17:30，热线',
    '96777全天有人接听。',
  ].join('\n');
  const page = parsePage('2023-10-09-peninsula-news-gas-guide.txt', guide, 2000);
  const parts = page.articles.flatMap((a) => a.paragraphs);

  it('reads a question line ("Q：……？") as the heading of the answer under it', () => {
    expect(parts.find((p) => p.text.startsWith('A：'))?.section).to.equal('Q：换燃气表要收费吗？');
  });

  it("reads a table's rows as facts in the header's words, under the line that names the table", () => {
    expect(page.articles).to.have.length(1);
    expect(parts.filter((p) => p.section === '各区燃气抢修电话').map((p) => p.text)).to.deep.equal([
      '区域：市南区，抢修电话：82861234',
      '区域：李沧区，抢修电话：87655432',
    ]);
  });

  it('reads the text after a table outside it', () => {
    expect(parts.at(-1)?.text).to.equal('客服中心工作时间为每天8:30至17:30，热线96777全天有人接听。');
    expect(parts.at(-1)?.section).to.not.equal('各区燃气抢修电话');
  });
});

describe('parsePage on text copied out of sites, apps and printed pages', () => {
  const read = (lines: string[]) => parsePage('2024-04-02-copied-page.txt', lines.join('\n'), 2000);
  const texts = (page: ReturnType<typeof parsePage>) => page.articles.flatMap((a) => a.paragraphs.map((p) => p.text.normalize('NFKC')));

  it("leaves out what a site or an app prints around the text, and reads the site's stamp for date and reporter", () => {
    const page = read([
      '观海新闻',
      '打开APP阅读',
      '',
      '中山公园樱花进入盛花期',
      '2024-04-02 08:36:10 来源：观海新闻 作者：林晓',
      '字号：大 中 小',
      '分享到：',
      '微信 微博 QQ空间',
      '阅读 3.5万',
      '',
      '中山公园的樱花进入盛花期，预计花期持续到4月15日。',
      '展开全文公园每天6:00至21:00开放。',
      '赞 120 评论 8',
      '【纠错】【打印】【关闭】',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['中山公园樱花进入盛花期']);
    expect(page.articles[0]!.byline?.reporters).to.deep.equal(['林晓']);
    expect(page.articles[0]!.date).to.equal('2024-04-02');
    expect(texts(page)).to.deep.equal(['中山公园的樱花进入盛花期,预计花期持续到4月15日。', '公园每天6:00至21:00开放。']);
  });

  it('reads a printed page\'s header ("青岛晚报 2024年4月2日 星期二 A05") as its outlet and date, and a page that indents its paragraphs line by line', () => {
    const page = read([
      '青岛晚报 2024年4月2日 星期二 A05',
      '',
      '老城区新添三处口袋公园',
      '',
      '　　4月1日，市南区黄县路、大学路',
      '和鱼山路的三处口袋公园建成开放。',
      '每处面积约500平方米，设有座椅和',
      '健身器材。',
      '　　市南区还将在年内再建5处口袋公园。',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['老城区新添三处口袋公园']);
    expect(page.articles[0]!.byline?.outlets).to.include('青岛晚报');
    expect(texts(page)).to.deep.equal([
      '4月1日,市南区黄县路、大学路和鱼山路的三处口袋公园建成开放。每处面积约500平方米,设有座椅和健身器材。',
      '市南区还将在年内再建5处口袋公园。',
    ]);
  });

  it('joins a figure the copy split over two lines ("12." over "5%", "0532-" over the number)', () => {
    const page = read(['全市公交准点率提升', '', '今年一季度，全市公交准点率提升至95.', '2%，咨询电话0532-', '86671234。']);
    expect(texts(page)).to.deep.equal(['今年一季度,全市公交准点率提升至95.2%,咨询电话0532-86671234。']);
  });

  it('reads an interview: each of the reporter\'s questions ("记者：……？") heads the answer under it', () => {
    const page = read([
      '对话｜老菜农：今年的白菜长得好',
      '',
      '记者：今年白菜收成怎么样？',
      '李大山：比去年多了两成，一亩能收一万斤。',
      '记者：卖多少钱一斤？',
      '李大山：地头收购价一斤三毛五。',
    ]);
    expect(sectioned(page)).to.deep.equal([
      ['记者：今年白菜收成怎么样？', '李大山：比去年多了两成，一亩能收一万斤。'],
      ['记者：卖多少钱一斤？', '李大山：地头收购价一斤三毛五。'],
    ]);
  });

  it('reads a notice\'s numbered headings ("二、……") as sections that the next numbered item ends, and a field\'s value as no cut sentence', () => {
    const page = read([
      '关于宁夏路夜间施工的通告',
      '',
      '一、施工时间',
      '2024年4月5日至4月30日每天22时至次日5时。',
      '二、绕行方案',
      '（一）社会车辆绕行南京路。',
      '（二）公交车临时改道。',
      '三、请过往车辆服从现场指挥。',
      '联系电话：0532-81234567',
      '青岛市市北区城市管理局',
    ]);
    expect(sectioned(page)).to.deep.equal([
      ['一、施工时间', '2024年4月5日至4月30日每天22时至次日5时。'],
      ['二、绕行方案', '（一）社会车辆绕行南京路。'],
      ['二、绕行方案', '（二）公交车临时改道。'],
      ['', '三、请过往车辆服从现场指挥。'],
      ['', '联系电话：0532-81234567'],
      ['', '青岛市市北区城市管理局'],
    ]);
  });

  it('reads the numbered headings of a notice whose every line is indented as headings, not as the sentence before them', () => {
    const page = read([
      '关于宁夏路夜间施工的通告',
      '',
      '　　现将有关事项通告如下：',
      '　　一、施工时间',
      '　　4月5日至4月30日每天22时至次日5时。',
    ]);
    expect(sectioned(page)).to.deep.equal([
      ['', '现将有关事项通告如下：'],
      ['一、施工时间', '4月5日至4月30日每天22时至次日5时。'],
    ]);
  });

  it('reads a post\'s numbered places over pictograph fields ("1⃣ 台东夜市" over "📍地址：……") as one fact each', () => {
    const page = read([
      '周末去哪儿？两处夜市请收好',
      '',
      '这个周末，两处夜市同时开市。',
      '',
      '1⃣ 台东夜市',
      '📍地址：台东三路',
      '⏰时间：每天17:30—23:00',
      '',
      '2⃣ 海泊河夜市',
      '📍地址：海泊河公园北门',
      '⏰时间：周五至周日18:00—22:30',
    ]);
    expect(sectioned(page).slice(1)).to.deep.equal([
      ['台东夜市', '📍地址：台东三路；⏰时间：每天17:30—23:00'],
      ['海泊河夜市', '📍地址：海泊河公园北门；⏰时间：周五至周日18:00—22:30'],
    ]);
  });

  it('reads a table between tabs, whose cells may hold spaces, row by row; a row it cannot split is kept as printed', () => {
    const page = read([
      '春季义诊安排',
      '',
      '市立医院将在以下社区开展义诊。',
      '序号\t社区\t义诊时间',
      '1\t浮山后社区\t4月8日 9:00-11:00',
      '2 洛阳路社区 4月9日 9:00-11:00',
      '3\t镇江路社区\t4月10日 14:00-16:00',
    ]);
    expect(texts(page)).to.deep.equal([
      '市立医院将在以下社区开展义诊。',
      '社区:浮山后社区,义诊时间:4月8日 9:00-11:00',
      '洛阳路社区 4月9日 9:00-11:00',
      '社区:镇江路社区,义诊时间:4月10日 14:00-16:00',
    ]);
  });

  it('reads a masthead ("青岛晚报 | 城事速递") as the outlet and the headline, and "摄影：X" in a stamp as who took the pictures', () => {
    const page = read([
      '青岛晚报 | 城事速递',
      '2024-04-02 10:00:00 来源：青岛晚报 摄影：黄海',
      '',
      '■ 海滨步道重新开放',
      '海滨步道4月2日重新开放。',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['城事速递']);
    expect(page.articles[0]!.byline?.outlets).to.include('青岛晚报');
    expect(page.articles[0]!.captions).to.deep.equal(['摄影：黄海']);
  });

  it('reads HTML a copy kept ("<p>", "<br>", "&nbsp;", "&ldquo;") as the text it marks up, and a site\'s time after the headline as its date', () => {
    const page = read([
      '金沙滩浴场开放&nbsp;&nbsp;救生员到岗 2024-06-01 09:10:00',
      '<p>&nbsp;&nbsp;&nbsp;&nbsp;金沙滩浴场6月1日开放。<br>&nbsp;&nbsp;&nbsp;&nbsp;管理处提醒&ldquo;黄旗&rdquo;表示风浪较大。</p>',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['金沙滩浴场开放  救生员到岗']);
    expect(page.articles[0]!.date).to.equal('2024-06-01');
    expect(texts(page)).to.deep.equal(['金沙滩浴场6月1日开放。', '管理处提醒“黄旗”表示风浪较大。']);
  });

  it("leaves out a post's hashtags, the reposting notes and the readers' comments after its counts", () => {
    const page = read([
      '青岛地铁运营',
      '24-4-2 08:47 来自 iPhone客户端',
      '',
      '#青岛地铁# 【8号线北段今起恢复运营】',
      '8号线北段4月2日首班车起恢复运营。',
      '转发 12 评论 8 赞 56',
      '网友甲：终于等到了',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['8号线北段今起恢复运营']);
    expect(texts(page)).to.deep.equal(['8号线北段4月2日首班车起恢复运营。']);
    const repost = read([
      '夜市恢复营业',
      '本文转载自微信公众号“市北身边事”',
      '原文链接：http://example.com/a',
      '',
      '台东夜市4月24日恢复营业。',
      '-END-',
      '如有侵权请联系删除',
    ]);
    expect(repost.articles[0]!.byline?.outlets).to.include('市北身边事');
    expect(texts(repost)).to.deep.equal(['台东夜市4月24日恢复营业。']);
  });

  it('reads a printed page\'s header and jump lines inside a column ("（下转A2版）", "（上接A1版）") as no part of the text', () => {
    const page = read([
      'A1 要闻          青岛日报 2024年4月2日 星期二',
      '湿地迎来观鸟季',
      '  本报讯 胶州湾湿地迎来观鸟季。',
      '（下转A2版）',
      '青岛日报 2024年4月2日 星期二 3',
      '（上接A1版）监测到鸟类87种。',
      '  湿地公园每天8:00开放。',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['湿地迎来观鸟季']);
    expect(texts(page)).to.deep.equal(['胶州湾湿地迎来观鸟季。监测到鸟类87种。', '湿地公园每天8:00开放。']);
  });

  it('reads an editor\'s note before the headline, "记者手记" as a section, "【记者X／青岛报道】" as the byline, and a notice\'s signature as no headline', () => {
    const note = read([
      '【编者按】',
      '本报今起推出“老街新生”系列报道。',
      '',
      '黄岛路修缮完工',
      '',
      '记者 韩雪 通讯员 吕远',
      '',
      '黄岛路修缮完工。',
      '',
      '记者手记',
      '老街坊们都回来了。',
    ]);
    expect(note.articles.map((a) => a.headline)).to.deep.equal(['黄岛路修缮完工']);
    expect(note.articles[0]!.byline?.reporters).to.deep.equal(['韩雪']);
    expect(note.articles[0]!.paragraphs.map((p) => p.section ?? '')).to.deep.equal(['编者按', '', '记者手记']);
    const reported = read(['啤酒节开幕', '', '【記者林佩璇／青島報導】青島國際啤酒節今天開幕。']);
    expect(reported.articles[0]!.byline?.reporters).to.deep.equal(['林佩璇']);
    expect(texts(reported)).to.deep.equal(['青島國際啤酒節今天開幕。']);
    const notice = read([
      '关于调整12路的公告',
      '',
      '12路4月5日起改道运行。',
      '青岛公交集团',
      '2024年4月2日',
      '',
      '附：调整后站点一览',
      '12路途经中山路、大沽路。',
    ]);
    expect(notice.articles.map((a) => a.headline)).to.deep.equal(['关于调整12路的公告']);
    expect(texts(notice)).to.deep.equal(['12路4月5日起改道运行。', '12路途经中山路、大沽路。']);
  });

  it('reads a table whose cells stand between "｜" after a line that introduces it, not as a list', () => {
    const page = read(['学校地址', '', '各学校地址如下：', '学校名称｜地址', '浮山路小学｜浮山路12号', '金水路小学｜金水路3号']);
    expect(texts(page)).to.deep.equal(['各学校地址如下:', '学校名称:浮山路小学,地址:浮山路12号', '学校名称:金水路小学,地址:金水路3号']);
  });

  it('reads a Markdown copy ("# 标题", "## 小标题", "**加粗**", "> 引文") as the text it marks up', () => {
    const page = read(['# 北宅樱桃开始采摘', '', '## 价格平稳', '', '今年樱桃**每斤30元**左右。', '', '> “今年果子甜。”果农说。']);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['北宅樱桃开始采摘']);
    expect(sectioned(page)).to.deep.equal([
      ['价格平稳', '今年樱桃每斤30元左右。'],
      ['价格平稳', '“今年果子甜。”果农说。'],
    ]);
  });

  it('reads questions and answers printed on one line ("1.问：……？答：……") each as an answer headed by its question', () => {
    const page = read(['体育考试问答', '', '现将问题整理如下：', '1.问：考试在哪天？答：4月20日。', '2.问：能穿钉鞋吗？答：不能。']);
    expect(sectioned(page).slice(1)).to.deep.equal([
      ['问:考试在哪天?', '答:4月20日。'],
      ['问:能穿钉鞋吗?', '答:不能。'],
    ]);
  });

  it('reads the articles of a digest apart where a separator ("01", "——————") stands before a title', () => {
    const page = read([
      '早间要闻',
      '',
      '早上好，以下是今天的要闻。',
      '',
      '01',
      '樱花进入盛花期',
      '本报记者 王晨',
      '中山公园樱花进入盛花期。',
      '——————',
      '02',
      '社区食堂开业',
      '本报记者 刘蕾',
      '台东社区食堂开业。',
    ]);
    expect(page.articles.map((a) => a.headline)).to.deep.equal(['早间要闻', '樱花进入盛花期', '社区食堂开业']);
    expect(page.articles.slice(1).map((a) => a.byline?.reporters)).to.deep.equal([['王晨'], ['刘蕾']]);
  });

  it('reads a transcript: a reader\'s question ("网友“X”：……？") heads the guest\'s answer past a time stamp, and the host is no byline', () => {
    const page = read([
      '民生在线｜医保怎么报',
      '',
      '主持人：本报记者 宫雪',
      '10:03',
      '网友“海边的风”：异地就医要备案吗？',
      '10:05',
      '嘉宾 隋立新：要，可以在手机上办。',
    ]);
    expect(page.articles).to.have.length(1);
    expect(page.articles[0]!.byline?.reporters ?? []).to.deep.equal([]);
    expect(page.articles[0]!.paragraphs.at(-1)).to.deep.equal({
      section: '网友“海边的风”：异地就医要备案吗？',
      text: '嘉宾 隋立新：要，可以在手机上办。',
    });
  });

  it('reads a hotline record\'s bracketed fields ("【来电时间】8月2日 08:40") as text, and an article copied twice once', () => {
    const copy = [
      '停水三天谁来管',
      '2019-08-05 16:20 来源：胶东晚报',
      '',
      '【来电时间】8月2日 08:40',
      '【通话时长】06:42',
      '市民反映小区停水三天。',
    ];
    const page = read([...copy, ...copy]);
    expect(page.articles).to.have.length(1);
    expect(texts(page)).to.deep.equal(['来电时间:8月2日 08:40;通话时长:06:42', '市民反映小区停水三天。']);
  });

  it('reads a date over the text ("2023年3月29日 星期三 青岛都市日报 A05版"), a headline printed again over the text, and an editor\'s line naming proofreaders', () => {
    const page = read([
      '行道树补植完成',
      '2023年3月29日 星期三 青岛都市日报 A05版',
      '',
      '行道树补植完成',
      '',
      '市南区补植行道树1800株。',
      '',
      '编辑：周丽娜  校对：高洁  审核：马国栋',
    ]);
    const a = page.articles[0]!;
    expect(a.date).to.equal('2023-03-29');
    expect(a.byline?.outlets).to.include('青岛都市日报');
    expect(a.byline?.editors).to.deep.equal(['周丽娜']);
    expect(texts(page)).to.deep.equal(['市南区补植行道树1800株。']);
  });

  it('reads lines of values after "↓↓↓" as a list, not as a table: a table\'s header names its columns', () => {
    const page = read(['停水通知', '', '以下社区停水↓↓↓', '', '延安路街道 东平路社区', '台东街道 长山路社区', '辽宁路街道 济宁路社区']);
    expect(page.articles[0]!.paragraphs[0]!.list?.items).to.deep.equal([
      '延安路街道 东平路社区',
      '台东街道 长山路社区',
      '辽宁路街道 济宁路社区',
    ]);
  });

  it('reads "（文/图 孙立群）" as the byline, and "（视频：徐晨阳）" as a label, not the text', () => {
    const page = read(['海鸥飞回栈桥', '', '近日，栈桥一带的海鸥明显增多。', '（视频：徐晨阳）', '（文/图 孙立群）']);
    expect(page.articles[0]!.byline?.reporters).to.deep.equal(['孙立群']);
    expect(page.articles[0]!.captions).to.deep.equal(['（视频：徐晨阳）']);
  });
});

describe('pageYear', () => {
  const cases = [
    { text: '2023年一季度……2023年以来……2022年', fallback: 2000, expected: 2023 },
    { text: '没有年份', fallback: 2026, expected: 2026 },
    { text: '2021年 2022年', fallback: 2000, expected: 2022 },
  ];
  for (const { text, fallback, expected } of cases) {
    it(`${text} → ${expected}`, () => expect(pageYear(text, fallback)).to.equal(expected));
  }
});

describe('parseByline', () => {
  const cases = [
    { line: '(观海新闻/青岛晚报 记者 刘卓毅)', reporters: ['刘卓毅'] },
    { line: '观海新闻/青岛晚报 记者 刘卓毅 通讯员 丁之', reporters: ['刘卓毅'] },
    { line: '本报记者 张三 李四', reporters: ['张三', '李四'] },
  ];
  for (const { line, reporters } of cases) {
    it(line, () => expect(parseByline(line)?.reporters).to.deep.equal(reporters));
  }
  it('reads an editor\'s line ("编辑：马骏") as who edited the page, no reporter', () => {
    expect(parseByline('编辑：马骏')).to.deep.include({ reporters: [], editors: ['马骏'] });
    expect(parseByline('责任编辑 王芳 李明')?.editors).to.deep.equal(['王芳', '李明']);
    expect(parseByline('编辑部的同志们辛苦了。')).to.equal(undefined);
  });

  it('is not a body sentence that mentions a reporter', () => {
    expect(parseByline('记者 从市统计局获悉,全市经济稳中向好。')).to.equal(undefined);
  });
});
