/**
 * A raw page → articles and 民生在线 sessions.
 *
 * Pages come as the paper prints them (kicker, headline, dateline, ">>>" sections, captions, a
 * byline that ends the article, the 民生在线 preview block) and as other outlets put them online
 * (a title line and paragraphs; a header with the outlet and time; bylines and sources at the top
 * or the bottom, in many forms; captions without 摄; lists of names, one a line; reading counts and
 * editors' names). The reader works in two passes:
 *
 *  1. each line is told by more than its last character: its length, its punctuation, brackets,
 *     the words that mark captions, bylines, sources and datelines (`kindOf`);
 *  2. the lines are gathered into articles, with what follows a line deciding what it is when
 *     its own shape does not: a short line is a headline when an article starts after it, an item
 *     of a list after a line that introduces one, the half of a sentence the layout cut, or a
 *     paragraph of its own. A line it cannot place is kept as body text: a fact lost is worse than
 *     a fact mislabelled.
 *
 * Every warning names the file and the line, and says what was done with it. Lines are told
 * apart by their NFKC form, in which full-width punctuation is plain ASCII ("：" is ":").
 */
import type { Article, Byline, Page, Paragraph } from './types.js';
import { PREVIEW_FIELD, PREVIEW_START, parsePreview } from './preview.js';
import { isoDay } from './shanghai-time.js';

type Kind = 'furniture' | 'meta' | 'byline' | 'caption' | 'heading' | 'preview' | 'subtitle' | 'title' | 'body';

const HEADING = /^(?:>{2,}|》{2,}|■|◆|▍|◎)\s*(.+)$|^【([^】]{1,12})】$|^【[^】]{1,12}】\s*([^:：。,，]{2,20})$/;
/** a caption by its end: "… 摄", "…供图", "(记者 … 摄)" */
const CAPTION_END = /(?:\s|^)(?:摄|摄影|供图|图)$|^[图圖][/／].{2,12}[摄攝]$|[((](?:[^()()]*\s)?摄[))]$/;
/** a caption or picture label by its start or as a whole */
const CAPTION_START = /^(?:图为|图:|图\d{1,2}\s*:|▲|△|资料图|配图|(上|下|左|右)图)/;
/** a label in brackets standing alone: "(屋面修缮效果图)", "(2016年9月20日)", "(图片来源:网络)" */
const BRACKETED_LABEL = /^[((][^()()]{1,30}[))]$/;
const LABEL_WORDS = /图|照片|摄|影像|视频|提供|来源|^\d{4}年\d{1,2}月\d{1,2}日$|^\d{1,2}月\d{1,2}日$/;
/** a dateline: "本报3月29日讯", "青岛日报/观海新闻5月12日讯", "新华社北京3月1日电", "本报讯" */
const DATELINE = /^(?:本报讯|(\S{0,16}?)(\d{1,2})月(\d{1,2})日(?:电|讯))\s*/;
/** sources and page furniture */
const SOURCE = /^[【[(]?(?:内容)?来源\s*[::]\s*(.+?)[】\])]?$/;
/** "【记者林佩璇/青岛报道】", "【記者林佩璇/青島報導】" */
const REPORTED_FROM = /^【(?:本报)?(?:记者|記者)\s*([\u4e00-\u9fff·]{2,4})\s*\/\s*[^】]{1,12}?(?:报道|報導)】\s*/;
/** a line that ends with a site's date and time */
const STAMP_AFTER = /^(.{6,}?)\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s*$/;
/** a line that names its outlet, then what follows: "青岛晚报 | 城事速递" */
const MASTHEAD = /^(\S{2,10})\s*[|｜]\s*(\S.{1,40})$/;
/** a web page's stamp under its headline: "2024-05-12 08:30:12 来源:青岛新闻网" */
const STAMP =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+(?:(?:来源|作者|编辑|责任编辑|记者|摄影|浏览次数|点击)\s*[::]\s*)?\S{1,16})*\s*$/;
/** the headline a repost replaced ("原标题:……"), and the links to other stories under an article */
const ORIGINAL_TITLE = /^原标题\s*[::]/;
const RELATED =
  /^[【[▼▲★◆■●\s-]*(?:相关新闻|相关阅读|相关链接|相关推荐|延伸阅读|推荐阅读|往期回顾|往期推荐|往期精彩|更多阅读|热门推荐|猜你喜欢|喜欢此内容的人还喜欢|相關新聞|相關閱讀|延伸閱讀|推薦閱讀)[】\]▼▲★◆■●\s-]*[::]?$/;
const EDITOR = /^(?:责任)?编辑\s*[::]/;
const PUBLISHED = /^(?:发布|发表|更新)(?:时间|日期)\s*[::]/;
const FURNITURE =
  /阅读量|阅读数|点击查看|查看更多|点个?[“"]?在看|分享到|转发给|关注我们|扫码关注|长按识别|^字[号体]\s*[::]|【(?:字体|纠错|打印|关闭)|打开APP|^阅读\s*[\d.]+万?(?:\s|$)|^[A-Z]?\d{1,2}$|^文字\s*[::].{1,20}图片\s*[::]|网页链接|^赞\s*\d|^评论\s*\d|阅读原文|喜欢此内容|^原创\s|^▶|^\[\d+\/\d+\]$|\[?上一张\]?|返回图集|[下上]转第?[A-Z]?\d*.?版|^附件\s*[::]|^(?:微信|微博|QQ空间|朋友圈)(?:\s+(?:微信|微博|QQ空间|朋友圈))*$|\S\s*>\s*\S+\s*>\s*\S|^(?:索引号|发布机构|生成日期|成文日期|文号|主题分类|有效性|公开方式|所属机构)\s*[::]|扫一扫|^举报|^\+?关注$|^声明\s*[::]|^图片来源\s*[::]\s*网络|^原文链接\s*[::]|^-+\s*END\s*-+$|侵权|^在看\s*\d|来自\s*\S*客户端|^(?:#[^#]{1,20}#\s*)+$|刷新\s*\|?\s*正序|^评论\s*[(]\d+[)]|^\d{1,2}:\d{2}$|阅读全文约需|^上一篇\s*[:：]|^下一篇\s*[:：]|^网友评论|抢沙发|^\[(?:图片|表情|视频|语音|二维码)\]|^[-—=*·_~]{3,}$/;
/** a post's counts of shares, comments and likes: what follows them is readers' comments, not news */
const ENGAGEMENT = /^转发\s*\d+\s*评论\s*\d+\s*赞\s*\d+/;
/** a repost's note of where it was first published: "本文转载自微信公众号“市北身边事”", "转自:市北身边事" */
const REPOSTED = /^(?:本文)?转(?:载)?自\s*[::]?\s*(?:微信公众号)?\s*[“"]?([^”"]{2,20})[”"]?$/;
/** what an app prints inside the text ("展开全文"): taken out of the line */
const INLINE_FURNITURE =
  /展开全文|@所有人|\[(?:图片|表情)\]|#[^#\s]{1,20}#|^\+关注|[(（][上下]接[A-Z]?\d+版[)）]|[(（][下上]转第?[A-Z]?\d+版[)）]/g;
/** a printed page's header: "青岛日报 2016年9月22日 星期四 要闻 5" */
const PAGE_HEADER = /^(\S{2,12})\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s+星期[一二三四五六日天]/;
/** a notice's date, alone or after who signed it: "2019年3月8日", "青岛公交集团2025年1月6日" */
const SIGNED =
  /^(?:[\u4e00-\u9fff()]{2,30}?(?:局|院|集团|公司|办公室|中心|委员会|政府|大队|支队|学校|办事处|协会|管理处))?\s*(\d{4})年(\d{1,2})月(\d{1,2})日$/;
/** the date first: "2023年3月29日 星期三 青岛都市日报 A05版" */
const DATE_FIRST = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天](?:\s+(\S{2,12}))?(?:\s+\S{1,8})?\s*$/;
/** the same with the section first: "A1 要闻   青岛日报 2020年6月3日 星期三" */
const PAGE_HEADER_ANYWHERE = /^.{0,60}?(\S{2,12})\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天][\sA-Z\d]*$/;
/** a social-media header: "青岛发布 2021-08-17 18:30" */
const CHANNEL_HEADER =
  /^(\S{2,12})\s+(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2})?(?:\s+(?:更新至\s*\d{1,2}:\d{2}|[\u4e00-\u9fff]{2,4}|(?:摄影|文|图)(?:\/(?:摄影|文|图))*\s+[\u4e00-\u9fff]{2,4}))?$/;
const SENTENCE_END = /[。!?!?…;;][”’"'」』))]*$/;
const OUTLET_WORD = /新闻|晚报|日报|早报|都市报|全媒体|电视台|广播|网|社|发布|客户端|融媒/;
/** a line that is only an outlet's name */
const OUTLET_LINE = new RegExp(`^[\\u4e00-\\u9fff]{0,6}(?:${OUTLET_WORD.source})$`);
/** markers after which one item a line follows: "名单如下:", "……有没有你家吧↓↓↓", "包括:" */
const LIST_INTRO = /(?:[::]|↓+|👇+|如下|以下|(?:看看|看一看|瞧瞧)吧?[~～!！。]*)\s*$/u;
/** a numbered or bulleted line: "1.…", "(2)…", "①…", "✅ …" */
const BULLET = /^(?:\d\u{FE0F}?\u20E3|\d{1,2}[.\u3001\uff0e)\uff09]|[(\uff08]\d{1,2}[)\uff09]|[\u2460-\u2473]|[✅✔☑•·\-–—●○◆■▶►👉➤➢])/u;
const NUMBERING =
  /^(?:\d\u{FE0F}?\u20E3|\d{1,2}[.\u3001\uff0e)\uff09]|[(\uff08]\d{1,2}[)\uff09]|[\u2460-\u2473]|[✅✔☑•·\-–—●○◆■▶►👉➤➢]\u{FE0F}?)\s*/u;
/** what ends an item of a list, left out of it: ；。，、 */
const ITEM_END = /[;,\uff1b\uff0c\u3002\u3001]+$/;
/** a field of a notice, "name: value": "首班:6:30", "停水时间:7月15日8:00—20:00", "线路:637路(…)" */
const FIELD =
  /^[\u4e00-\u9fff]{0,6}(?:时间|日期|时段|期限|地点|地址|网址|网站|平台|线路|首班|末班|班次|间隔|票价|价格|收费|费用|标准|对象|范围|电话|热线|方式|条件|材料|单位|名称|区域|路段|站点|规模|面积|名额|要求|内容|安排|原因|影响|亮点|特色|优惠|备注|说明|提示|走向)\s*:\s*\S/;
/** a short line of a name and a value, as a price list prints them: "普通门诊:10元", "地点:门诊楼一楼" */
const SHORT_FIELD = /^(?:[\u4e00-\u9fff]{2,8}|\d{1,2}月\d{1,2}日)\s*:\s*(?:[^。!?;:]|(?<=\d):(?=\d)){1,20}$/;
const isField = (plain: string) => {
  const bare = plain.replace(DECORATION, '').trim(); // "📍地址:……"
  return FIELD.test(bare) || SHORT_FIELD.test(bare);
};
/** a short label a pictograph opens, as social-media posts head their parts: "⏰ 开诊时间", "📍 地点" */
const LABEL = /^\p{Extended_Pictographic}\u{FE0F}?\s*[\u4e00-\u9fff\w]{1,10}$/u;
/** a question and the answer under it, as interviews and notices print them: "问:"/"Q:" over "答:"/"A:" */
const QUESTION_LINE = /^(?:问|Q|提问|记者|记者提问|网友[^:]{0,12}?)\s*\d*\s*:/i;
/** the answer, or the turn of the one interviewed ("王德顺:……") */
const ANSWER_LINE = /^(?:答|A|回答|嘉宾|[\u4e00-\u9fff]{2,4})[^:。]{0,12}:/i;
/** a question and its answer on one line, as a list of questions prints them: "1.问:…… 答:……" */
const QA_LINE = /^(?:\d{1,2}[.、]\s*)?(问\s*:.+?[?？]?)\s*(答\s*:.+)$/;
/** a heading numbered as official texts number them: "二、管制范围及措施" */
const ORDINAL_HEADING = /^[一二三四五六七八九十]{1,3}[、.]\s*[^。;,!?]{2,20}$/;
/** a line that separates the articles of a digest */
const SEPARATOR = /^[-—=*·_~]{3,}$|^\d{2}$/;
/** a cell that names a column ("序号", "报修电话", "价格(元)"), not a value ("东平路社区") */
const HEADER_CELL =
  /^.{0,3}(?:序号|编号|名称|地址|地点|电话|时间|时间段|日期|时段|项目|价格|费用|类别|区域|单位|线路|站点|事项|内容|备注|数量|金额|标准|姓名|职务|门诊|科室|对象|范围)(?:[(（].{1,4}[)）])?$/;
/** a table's column of row numbers */
const NUMBER_COLUMN = /^(?:序号|编号|排名|No\.?)$/i;
/** A line's cells when it reads as a row of a table: two or more short runs between spaces, no sentence. */
function cellsOf(text: string): string[] | undefined {
  const plain = text.normalize('NFKC').trim();
  // cells between tabs or bars, when the row has them, may hold spaces and commas ("周一至周五 8:30-11:30")
  const tabbed = /[\t|]/.test(plain);
  if (/[。;!?]|(?<!\d):|:(?!\d)/.test(plain) || (!tabbed && plain.includes(','))) return undefined;
  const cells = plain.split(tabbed ? /\s*[\t|]\s*/ : /\s+/);
  return cells.length >= 2 && cells.every((c) => c.length <= (tabbed ? 40 : 16)) ? cells : undefined;
}
/** letters, digits and Chinese characters: a line without any is decoration */
const MEANINGFUL = /[\p{L}\p{N}]/u;
/** pictographs and arrows that decorate social-media text */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: skin tones, variation selectors and joiners are removed one by one
const DECORATION = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}↓↑→←]/gu;

/** HTML a copy kept ("<p>", "<br>", "&nbsp;", "&ldquo;"): paragraphs and line breaks become lines, entities their characters. */
/** Markdown a copy kept ("## 小标题", "**加粗**", "> 引文", "[链接](#)"): headings marked as the reader knows them, marks left out. */
function withoutMarkdown(text: string): string {
  if ((text.match(/^#{1,6}\s|\*\*[^*\n]+\*\*/gm) ?? []).length < 2) return text;
  return text
    .replace(/^#\s+(.+)$/gm, '$1')
    .replace(/^#{2,6}\s+(.+)$/gm, '>>>$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/^>\s?/gm, '')
    .replace(/^[-*+]\s+/gm, '· ')
    .replace(/\[([^\]\n]+)\]\([^)\n]*\)/g, '$1')
    .replace(/^\[TOC\]$|^-{3,}$|^\*{3,}$/gm, '')
    .replace(/(^|[^*])\*([^*\n]+)\*(?!\*)/g, '$1$2');
}

function withoutMarkup(text: string): string {
  if (!/<\/?[a-z][^>]*>|&(?:[a-z]+|#\d+);/i.test(text)) return text;
  const named: Record<string, string> = {
    nbsp: ' ',
    ldquo: '“',
    rdquo: '”',
    lsquo: '‘',
    rsquo: '’',
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    mdash: '—',
    hellip: '…',
    middot: '·',
  };
  return text
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&([a-z]+);/gi, (m, name: string) => named[name.toLowerCase()] ?? m);
}

/** Reads a byline or source line; undefined when the line is not one. */
export function parseByline(line: string): Byline | undefined {
  const plain = line.normalize('NFKC').trim();
  const inner = plain.replace(/^[([]\s*/, '').replace(/\s*[)\]]$/, '');
  // who hosted or was a guest ("主持人:本报记者 宫雪") is no byline
  if (/^(?:主持人|嘉宾|发布人|主讲人|讲解员)\s*[::]/.test(inner)) return undefined;
  if (inner.length > 60 || /[。,,;;!?]/.test(inner.replace(/\s*[/／]\s*/g, '/'))) return undefined;
  // a name, not what the person did ("整理", "编辑", "摄影")
  const names = (s: string) =>
    s
      .split(/[\s、,]+/)
      .map((n) => n.replace(/[::]/g, ''))
      .filter((n) => /^[\u4e00-\u9fff·]{2,5}$/.test(n) && !/^(?:整理|编辑|摄影|报道|制图|供图|校对|手记|札记|观察|视点|评论)$/.test(n));
  const outletsOf = (s: string) =>
    s
      .split(/[/、\s]+/)
      .map((o) => o.replace(/^(?:本报|内容来源|来源)[::]?/, ''))
      .filter((o) => o && OUTLET_WORD.test(o));

  // "编辑：马骏", "责任编辑 王芳": who edited the page
  const edited = /^(?:责任)?编辑\s*[::]?\s*(\S.*)$/.exec(inner.replace(/\s*(?:校对|审核|美编|责编|制图|终审|复审)\s*[::]\s*\S+/g, ''));
  if (edited && names(edited[1]!).length)
    return { raw: line.trim(), outlets: [], reporters: [], correspondents: [], editors: names(edited[1]!) };
  // "文/图 孙立伟", "文/摄 …", "图/文 …"
  const pictured = /^(?:文\/图|图\/文|文\/摄|摄\/文|文\s*:|文\s)\s*:?\s*(\S.*)$/.exec(inner);
  if (pictured && names(pictured[1]!).length) return { raw: line.trim(), outlets: [], reporters: names(pictured[1]!), correspondents: [] };
  // "内容来源:青岛新闻网 / 记者:李梦瑶"
  const sourced = /^(?:内容)?来源\s*[::]\s*(.+?)\s*[/／]\s*记者\s*[::]?\s*(.+)$/.exec(inner);
  if (sourced) return { raw: line.trim(), outlets: outletsOf(sourced[1]!), reporters: names(sourced[2]!), correspondents: [] };

  const m = /^(.*?)\s*(?:本报)?记者\s*[::]?\s*(.+)$/.exec(inner);
  if (!m) return undefined;
  const [reporterPart, correspondentPart = ''] = m[2]!.split(/\s*通讯员\s*[::]?\s*/);
  const reporters = names(reporterPart!.replace(/\s*(?:摄影?|报道)$/, ''));
  if (!reporters.length) return undefined;
  return { raw: line.trim(), outlets: outletsOf(m[1]!), reporters, correspondents: names(correspondentPart) };
}

/** Whether a line is a caption or a label of a picture. */
function isCaption(t: string): boolean {
  if (t.length > 100) return false;
  const plain = t.normalize('NFKC');
  if (CAPTION_END.test(plain) || CAPTION_START.test(plain)) return true;
  return BRACKETED_LABEL.test(plain) && LABEL_WORDS.test(plain.slice(1, -1));
}

/** A line as short as a headline: no sentence inside it, nothing that introduces a list after it. */
function titleLike(t: string): boolean {
  const nfkc = t.normalize('NFKC');
  const plain = nfkc.replace(DECORATION, '').trim();
  return (
    plain.length <= 50 &&
    !/[。;]/.test(plain.slice(0, -1)) &&
    !/[。;:,、]$/.test(plain) &&
    !/\d[.-]$/.test(plain) && // a figure the copy cut ("提升至95.")
    !LIST_INTRO.test(nfkc)
  );
}

/** Lines that say when, where and by whom a page was published, and lines that are no part of it. */
const META_LINES = [PUBLISHED, CHANNEL_HEADER, STAMP, PAGE_HEADER, PAGE_HEADER_ANYWHERE, DATE_FIRST, SIGNED, REPOSTED];
const FURNITURE_LINES = [FURNITURE, ENGAGEMENT, ORIGINAL_TITLE, RELATED];

function kindOf(line: string): Kind {
  const t = line.trim();
  const plain = t.normalize('NFKC');
  if (!MEANINGFUL.test(plain.replace(DECORATION, ''))) return 'furniture';
  if (META_LINES.some((r) => r.test(plain)) || (SOURCE.test(plain) && !parseByline(t))) return 'meta';
  if (FURNITURE_LINES.some((r) => r.test(plain)) || (EDITOR.test(plain) && !parseByline(t))) return 'furniture';
  if (HEADING.test(t) && t.length <= 30) return 'heading';
  if (/^(?:记者手记|采访手记|编后语?|编者按)\s*[::]?$/.test(plain)) return 'heading';
  if (/^注\s*[::]/.test(plain)) return 'body'; // a note under a table or a list
  // "(文/图 孙立群)" names who wrote and photographed the story: a byline, not a caption
  if (/^[(]?\s*(?:文\/图|图\/文|文\/摄)/.test(plain) && parseByline(t)) return 'byline';
  if (isCaption(t)) return 'caption';
  if (parseByline(t)) return 'byline';
  if (PREVIEW_START.test(t) && t.length <= 20) return 'preview';
  if (/^——\S/.test(plain) && plain.length <= 40) return 'subtitle';
  if (DATELINE.test(plain) && !/^本报讯$/.test(plain)) return 'body';
  if (isField(plain)) return 'body';
  return titleLike(t) ? 'title' : 'body';
}

/** The date in a page's file name ("2018-05-12-….txt"), if it has one. */
export function fileDate(name: string): { year: number; iso: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(name);
  return m ? { year: Number(m[1]), iso: `${m[1]}-${m[2]}-${m[3]}` } : undefined;
}

/** The year the page was printed in: the year its text names most often (the latest on a tie). */
export function pageYear(text: string, fallback: number): number {
  const counts = new Map<number, number>();
  for (const m of text.normalize('NFKC').matchAll(/(?<!\d)((?:19|20)\d{2})年/g)) {
    const y = Number(m[1]);
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  let best = fallback;
  let bestCount = 0;
  for (const [y, c] of counts) {
    if (c > bestCount || (c === bestCount && y > best)) {
      best = y;
      bestCount = c;
    }
  }
  return best;
}

/** A line with the number it has in the file (from 1). */
interface Line {
  text: string;
  no: number;
  kind: Kind;
  /** printed indented, as a paragraph's first line is ("　　9月21日一早,……") */
  indented: boolean;
  /** the rest of the paragraph an indented line opened, on a page that indents its paragraphs */
  continues?: true;
}

/**
 * Splits a raw page into articles and 民生在线 sessions. The page's date is its file name's, when
 * the name begins with one; else its year is the one its text names most, else `fallbackYear`.
 */
export function parsePage(name: string, text: string, fallbackYear: number): Page {
  const named = fileDate(name);
  const year = named?.year ?? pageYear(text, fallbackYear);
  const warnings: string[] = [];
  const warn = (no: number, what: string) => warnings.push(`corpus: ${name}:${no}: ${what}`);
  const all = withoutMarkdown(withoutMarkup(text))
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l, i) => ({
      text: l.replace(INLINE_FURNITURE, '').trim(), // trim() takes U+3000 too
      no: i + 1,
      indented: /^(?:\u3000|\s{2,})\S/.test(l),
      blank: l.trim() === '', // (a jump line taken out is no blank line)
    }));
  const lines: Line[] = all
    .filter((l) => l.text !== '')
    .flatMap((l) => {
      // a masthead, "青岛晚报 | 城事速递": the outlet, then the headline
      const masthead = MASTHEAD.exec(l.text.normalize('NFKC'));
      if (masthead && OUTLET_LINE.test(masthead[1]!))
        return [
          { ...l, text: masthead[1]!, kind: 'meta' as Kind },
          { ...l, text: masthead[2]!, kind: kindOf(masthead[2]!) },
        ];
      // "【来电时间】2019年8月2日 08:40": a field, its name in brackets
      const bracketed = /^【([^】]{2,8})】\s*(?=[^。]{1,20}$)([^。]*\d[^。]*)$/.exec(l.text);
      if (bracketed && kindOf(l.text) !== 'furniture') return [{ ...l, text: `${bracketed[1]}：${bracketed[2]}`, kind: 'body' as Kind }];
      // a headline with the site's time after it on the same line ("……防鲨网 2017-07-22 16:48:03")
      const stamped = STAMP_AFTER.exec(l.text);
      if (stamped && kindOf(stamped[1]!) === 'title')
        return [
          { ...l, text: stamped[1]!, kind: 'title' as Kind },
          { ...l, text: stamped[2]!, kind: 'meta' as Kind },
        ];
      return [{ ...l, kind: kindOf(l.text) }];
    });
  /** whether a blank line stands between two lines (by their numbers) */
  const gapBetween = (a: number, b: number) => all.slice(a, b - 1).some((l) => l.blank);
  // a post's first line, set off by a blank line, is its headline though it points down at the
  // text ("……下班也能看病👇"): no list follows it
  // on a page that indents its paragraphs, a line that is not indented, right under the text of
  // one, is more of it: the copy kept the printed column's line breaks
  if (lines.filter((l) => l.indented).length >= 2) {
    lines.forEach((l, k) => {
      // (a printed page's header or a jump line between two lines of a column is skipped over)
      const above = lines
        .slice(0, k)
        .reverse()
        .find((a) => a.kind !== 'meta' && a.kind !== 'furniture');
      if (l.indented && (l.kind === 'title' || l.kind === 'subtitle')) l.kind = 'body';
      else if (
        !l.indented &&
        above &&
        (above.kind === 'body' || above.continues) &&
        !gapBetween(above.no, l.no) &&
        (l.kind === 'title' || l.kind === 'body') &&
        !BULLET.test(l.text) &&
        !ORDINAL_HEADING.test(l.text.normalize('NFKC'))
      ) {
        l.kind = 'body';
        l.continues = true;
      }
    });
  }
  // who signed a notice, over its date; the account a post is from, over "来自……客户端"
  lines.forEach((l, k) => {
    const next = lines[k + 1];
    if (l.kind !== 'title' || !next || gapBetween(l.no, next.no)) return;
    const plainNext = next.text.normalize('NFKC');
    if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(plainNext) || /来自\s*\S*客户端/.test(plainNext)) l.kind = 'meta';
  });
  // the outlet's name alone over the headline ("观海新闻", "青岛晚报") says who published it
  const top = lines[0];
  const below = lines.slice(1).find((l) => l.kind !== 'furniture');
  if (top?.kind === 'title' && below?.kind === 'title' && OUTLET_LINE.test(top.text.normalize('NFKC'))) top.kind = 'meta';
  const at = lines.findIndex((l) => l.kind !== 'meta');
  const [first, second] = [lines[at], lines[at + 1]];
  if (first?.kind === 'body' && second && gapBetween(first.no, second.no) && titleLike(first.text.replace(/[\s↓👇]+$/u, '')))
    first.kind = 'title';

  const articles: Article[] = [];
  const previewBlocks: Array<{ no: number; lines: string[] }> = [];
  let titles: string[] = [];
  let subtitle: string | undefined;
  let pendingCaptions: string[] = [];
  /** a byline, source or date printed before the article it belongs to */
  let pendingByline: Byline | undefined;
  let pendingDate: string | undefined;
  let current: Article | undefined;
  let section: string | undefined;
  let preview: string[] | undefined;
  /** the headline just read came under an editor's note: the byline under it does not end the article */
  let underNote = false;

  const closeArticle = () => {
    if (current) articles.push(current);
    current = undefined;
    section = undefined;
  };
  // The paper prints kickers above the headline; other outlets put the headline first and a deck
  // below it. A page with the paper's own marks ("本报…讯", ">>>" sections, a 民生在线 preview), or a
  // first line shaped like a kicker (ending "……"), reads the first way.
  const printedPage = /^>>>|民生在线.{0,6}预告/m.test(text.normalize('NFKC'));
  const kickerShaped = (t: string) => /…$/.test(t);
  /** `firstLine`: the article's first body line, when it is what opens it */
  const openArticle = (firstLine?: string) => {
    const printed = printedPage || /^本报/.test(firstLine?.normalize('NFKC') ?? '');
    const webOrder = titles.length > 1 && !printed && !kickerShaped(titles[0]!);
    const [kickers, headline] = webOrder ? [[], titles[0]!] : [titles.slice(0, -1), titles[titles.length - 1] ?? ''];
    // online, the lines under the headline are a deck when short and plain, else the text begins
    const under = webOrder ? titles.slice(1) : [];
    const deck = under.filter(
      (t) => t !== headline && t.normalize('NFKC').length <= 30 && !/[!?~。]$/.test(t.normalize('NFKC').replace(DECORATION, '')),
    );
    if (deck.length) subtitle = [...deck, ...(subtitle ? [subtitle] : [])].join(' ');
    current = {
      id: `${name}#${articles.length + 1}`,
      page: name,
      kickers,
      // a post's pictographs ("🔥扩散！……👇") decorate its headline; a citation leaves them out
      headline: headline.replace(DECORATION, '').trim() || headline,
      subtitle,
      paragraphs: [],
      captions: pendingCaptions,
      byline: pendingByline,
      date: pendingDate,
    };
    for (const t of under) if (!deck.includes(t) && t !== headline) current.paragraphs.push({ text: t });
    titles = [];
    subtitle = undefined;
    pendingCaptions = [];
    pendingByline = undefined;
    pendingDate = undefined;
  };
  /** the article a byline or source printed after it belongs to */
  const lastArticle = () => current ?? articles[articles.length - 1];
  const lastParagraph = (): Paragraph | undefined => current?.paragraphs[current.paragraphs.length - 1];
  // a paragraph the layout cut ends mid-word ("…以人民健康为中"): not at a sentence end, an emoji or a "~"
  const isOpen = (p: Paragraph | undefined) => {
    if (p === undefined || p.list) return false;
    const end = p.text.normalize('NFKC');
    // (a figure the cut split, "15." over "8%", or a field's value, which ends a fact of its own)
    return !SENTENCE_END.test(end) && /[\p{L}\p{N},、:“"(《]$|\d[.-]$/u.test(end) && !isField(end.split(';').pop()!);
  };
  const merge = (a: Byline | undefined, b: Byline): Byline =>
    a
      ? {
          raw: `${a.raw} ${b.raw}`,
          outlets: [...new Set([...a.outlets, ...b.outlets])],
          reporters: [...new Set([...a.reporters, ...b.reporters])],
          correspondents: [...new Set([...a.correspondents, ...b.correspondents])],
          ...((a.editors ?? b.editors) && { editors: [...new Set([...(a.editors ?? []), ...(b.editors ?? [])])] }),
        }
      : b;
  const nextOf = (i: number) => lines[i + 1];
  const numbered = (t: string) => BULLET.test(t);
  // A title-like line starts an article when a headline, caption, subtitle, byline or dateline
  // follows it; otherwise, inside an article, it is a line of the article's own.
  const startsArticle = (i: number) => {
    const next = nextOf(i);
    if (!next || !lines.slice(i + 1).some((l) => l.kind === 'body')) return false; // nothing but titles and furniture after it
    return (
      next.kind === 'title' ||
      next.kind === 'caption' ||
      next.kind === 'subtitle' ||
      next.kind === 'meta' ||
      (next.kind === 'byline' && !current?.paragraphs.length) ||
      DATELINE.test(next.text.normalize('NFKC'))
    );
  };
  /**
   * A short line set off by a blank line above it, with a whole paragraph right under it: the
   * headline of one of several briefs on a page, or a subheading. It heads what follows; it is not
   * the start of a sentence the layout cut.
   */
  const opensSection = (i: number) => {
    const line = lines[i]!;
    const prev = lines[i - 1];
    const next = nextOf(i);
    return (
      prev !== undefined &&
      next !== undefined &&
      next.kind === 'body' &&
      gapBetween(prev.no, line.no) &&
      !gapBetween(line.no, next.no) &&
      line.text.normalize('NFKC').length <= 30 &&
      !numbered(line.text) &&
      !LIST_INTRO.test(line.text.normalize('NFKC')) &&
      SENTENCE_END.test(next.text.normalize('NFKC'))
    );
  };
  /** whether the line under line i, with no blank line between, is a field ("📍地址:……") */
  const fieldsUnder = (i: number) => {
    const next = nextOf(i);
    return next !== undefined && !gapBetween(lines[i]!.no, next.no) && isField(next.text.normalize('NFKC'));
  };
  /** whether line i stands right under a label a pictograph opens, or under a line that does */
  const underLabel = (i: number): boolean => {
    const above = lines[i - 1];
    if (!above || gapBetween(above.no, lines[i]!.no)) return false;
    const plainAbove = above.text.normalize('NFKC');
    return LABEL.test(plainAbove) || ORDINAL_HEADING.test(plainAbove) || (i > 1 && underLabel(i - 1));
  };
  /** the rows of a table whose header is line i, each in the header's words, and the index of its last line */
  const tableAt = (i: number): { rows: string[]; end: number } | undefined => {
    const header = lines[i] && cellsOf(lines[i]!.text);
    if (!header || header.some((h) => /^\d+$/.test(h)) || !header.some((h) => HEADER_CELL.test(h))) return undefined;
    const rows: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !gapBetween(lines[j - 1]!.no, lines[j]!.no); j++) {
      const cells = cellsOf(lines[j]!.text);
      if (!cells || cells.length < header.length) break;
      // a numbered row whose cells cannot be told apart is kept as printed
      if (cells.length > header.length) {
        if (!/^\d+$/.test(cells[0]!)) break;
        rows.push(cells.slice(1).join(' '));
        continue;
      }
      rows.push(
        header
          .map((h, k) => (NUMBER_COLUMN.test(h) ? '' : `${h}：${cells[k]}`))
          .filter(Boolean)
          .join('，'),
      );
    }
    return rows.length >= 2 ? { rows, end: j - 1 } : undefined;
  };
  /** the items of a list that starts after line i, and the index of its last line */
  const listAfter = (i: number): { items: string[]; end: number } | undefined => {
    const intro = lines[i]!;
    const items: string[] = [];
    let j = i + 1;
    let bulleted = false;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (QA_LINE.test(l.text.normalize('NFKC'))) break; // questions and answers, each read as one
      const isBullet = numbered(l.text) && l.kind !== 'heading';
      const shortItem = (l.kind === 'title' || l.kind === 'body') && !isBullet && titleLike(l.text);
      if (items.length === 0) {
        if (!isBullet && !(shortItem && LIST_INTRO.test(intro.text.normalize('NFKC')))) break;
        bulleted = isBullet;
      } else if (bulleted ? !isBullet : !shortItem || gapBetween(lines[j - 1]!.no, l.no)) break;
      items.push(l.text.replace(NUMBERING, '').replace(ITEM_END, '').trim());
    }
    return items.length >= 2 ? { items, end: j - 1 } : undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { text: t, kind } = line;
    const plain = t.normalize('NFKC');

    if (preview) {
      if (PREVIEW_FIELD.test(plain)) {
        preview.push(t);
        continue;
      }
      preview = undefined;
    }

    // a table ("序号 单位名称 报修电话" over rows of as many cells): each row a fact in the
    // header's words, under the line that names the table
    const named =
      current && kind === 'title' && !cellsOf(t) && !gapBetween(line.no, lines[i + 1]?.no ?? line.no) ? tableAt(i + 1) : undefined;
    const table = named ?? (current ? tableAt(i) : undefined);
    if (table) {
      for (const row of table.rows) current!.paragraphs.push({ section: named ? t : section, text: row });
      i = table.end;
      continue;
    }
    // a question and its answer on one line ("1.问:……?答:……"): the question heads the answer
    const qa = current || titles.length ? QA_LINE.exec(plain) : null;
    if (qa) {
      if (!current) openArticle();
      current!.paragraphs.push({ section: qa[1]!, text: qa[2]! });
      continue;
    }
    // a question and its answer ("Q:……?" over "A:……"): the question heads the answer
    const answer = lines.slice(i + 1).find((l) => l.kind !== 'furniture'); // (a time stamp between them aside)
    if ((current || titles.length) && QUESTION_LINE.test(plain) && answer && ANSWER_LINE.test(answer.text.normalize('NFKC'))) {
      if (!current) openArticle();
      section = t;
      continue;
    }
    // a heading numbered as official texts number them ("二、管制范围及措施") heads what follows
    if ((current || titles.length) && (kind === 'title' || kind === 'body') && ORDINAL_HEADING.test(plain)) {
      if (!current) openArticle();
      section = t;
      continue;
    }

    switch (kind) {
      case 'furniture':
        // "相关新闻" and the headlines of other stories listed under it are no part of the article
        if (RELATED.test(plain)) while (lines[i + 1] && (lines[i + 1]!.kind === 'title' || lines[i + 1]!.kind === 'furniture')) i++;
        // a post's counts of shares, comments and likes: readers' comments follow, not news
        if (ENGAGEMENT.test(plain)) i = lines.length;
        break;
      case 'meta': {
        const header = CHANNEL_HEADER.exec(plain) ?? PAGE_HEADER.exec(plain) ?? PAGE_HEADER_ANYWHERE.exec(plain);
        const reposted = REPOSTED.exec(plain);
        const dated = DATE_FIRST.exec(plain);
        const author = /(?:作者|记者)\s*[::]\s*([\u4e00-\u9fff·]{2,5})(?:\s|$)/.exec(plain);
        const source = SOURCE.exec(plain) ?? /来源\s*[::]\s*(\S+)/.exec(plain);
        const outlets = [
          header?.[1],
          ...(source ? source[1]!.split(/[/、\s]+/) : []),
          ...(OUTLET_LINE.test(plain) ? [plain] : []),
          reposted?.[1],
          dated?.[4] && OUTLET_WORD.test(dated[4]) ? dated[4] : undefined,
        ].filter((o): o is string => !!o && o.length >= 2);
        const printed = header
          ? header.slice(2, 5)
          : dated
            ? dated.slice(1, 4)
            : (/(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(plain) ?? SIGNED.exec(plain))?.slice(1, 4);
        const date = printed ? isoDay(printed[0]!, printed[1]!, printed[2]!) : undefined;
        const byline: Byline = { raw: t, outlets, reporters: author ? [author[1]!] : [], correspondents: [] };
        const target = header || PUBLISHED.test(plain) ? current : lastArticle();
        // "摄影:崔海洋" in a site's stamp: who took the pictures, as a caption credits them
        const photographer = /摄影\s*[::]\s*([\u4e00-\u9fff·]{2,5})(?:\s|$)/.exec(plain);
        if (photographer) (target ? target.captions : pendingCaptions).push(`摄影：${photographer[1]}`);
        if (target) {
          target.byline = merge(target.byline, byline);
          if (date && !target.date) target.date = date;
        } else {
          pendingByline = merge(pendingByline, byline);
          pendingDate ??= date;
        }
        break;
      }
      case 'preview':
        closeArticle();
        preview = [t];
        previewBlocks.push({ no: line.no, lines: preview });
        break;
      case 'byline': {
        const byline = parseByline(t)!;
        if (current && underNote)
          current.byline = merge(current.byline, byline); // the byline under that headline
        else if (current && current.paragraphs.length > 0) {
          current.byline = merge(current.byline, byline); // a byline after the text ends its article
          closeArticle();
        } else if (current || titles.length) {
          if (!current) openArticle();
          current!.byline = merge(current!.byline, byline);
        } else if (articles.length && !nextOf(i)) {
          articles[articles.length - 1]!.byline = merge(articles[articles.length - 1]!.byline, byline);
        } else {
          pendingByline = merge(pendingByline, byline); // printed above the headline
        }
        break;
      }
      case 'caption':
        if (current) current.captions.push(t);
        else pendingCaptions.push(t);
        break;
      case 'heading': {
        if (current && nextOf(i) && numbered(nextOf(i)!.text)) {
          i = addBody(i);
          break;
        } // "【划重点】" over a list
        const m = HEADING.exec(t);
        // a post that opens with its title in brackets ("【9号线一期今起空载试运行】"): its headline
        const bracketTitle = m?.[2] ?? m?.[3];
        if (!current && !titles.length && bracketTitle && bracketTitle.length >= 8) {
          titles.push(bracketTitle);
          break;
        }
        if (!current) openArticle();
        // "【划重点】现场审核" heads a section called 现场审核; "记者手记" one called so
        section = m ? (m[1] ?? m[2] ?? m[3]!).trim() : plain.replace(/[::]$/, '');
        break;
      }
      case 'subtitle':
        if (titles.length && !current) subtitle = t.replace(/^——\s*/, '');
        else if (current && current.paragraphs.length === 0) current.subtitle = t.replace(/^——\s*/, '');
        else i = addBody(i);
        break;
      case 'title':
        // a separator ("——————", "02") before a title: the next article of a digest begins
        if (current && current.paragraphs.length > 0 && i > 0 && SEPARATOR.test(lines[i - 1]!.text.normalize('NFKC'))) {
          closeArticle();
          titles.push(t);
          break;
        }
        // the headline under an editor's note that opened the page ("【编者按】……")
        if (current && current.headline === '' && current.paragraphs.length > 0 && current.paragraphs.every((p) => p.section)) {
          current.headline = t;
          section = undefined;
          underNote = true;
          break;
        }
        if (current && current.paragraphs.length > 0 && (LABEL.test(plain) || (numbered(t) && fieldsUnder(i)))) {
          // "⏰ 开诊时间", or "1⃣ 海泊河夜市" over its fields, heads the lines under it
          section = plain.replace(NUMBERING, '').replace(DECORATION, '').trim();
        } else if (current && underLabel(i)) {
          i = addBody(i); // a line under such a label ("周一至周五 17:30—21:00") is what the label gives
        } else if (current && isOpen(lastParagraph()) && !numbered(t) && lastParagraph()!.section === section && !/[!?!?]$/.test(plain)) {
          lastParagraph()!.text += t; // a layout break inside a sentence
        } else if (current && current.paragraphs.length > 0 && opensSection(i)) {
          section = t; // the headline of a brief, or a subheading, over the paragraph right under it
        } else if (current && current.paragraphs.length > 0 && (!startsArticle(i) || listAfter(i))) {
          i = addBody(i); // a line of the article's own, or one that introduces a list
        } else if (!current && !titles.length && articles.length && !startsArticle(i) && !nextOf(i)) {
          warn(line.no, `"${t}" follows the last article and starts none: kept as its last paragraph`);
          current = articles.pop();
          i = addBody(i);
        } else {
          if (current && current.paragraphs.length > 0)
            closeArticle(); // a new article with no byline before it
          else if (current) {
            titles = [...current.kickers, current.headline].filter(Boolean);
            pendingCaptions = current.captions;
            pendingByline = current.byline;
            current = undefined;
          }
          titles.push(t);
        }
        break;
      case 'body':
        i = addBody(i);
        break;
    }
  }
  closeArticle();
  if (titles.length) {
    const last = articles[articles.length - 1];
    const where = lines.find((l) => l.text === titles[0])?.no ?? lines.length;
    if (last) {
      warn(where, `title lines with no article after them ("${titles.join(' / ')}"): kept as the last article's paragraphs`);
      for (const t of titles) last.paragraphs.push({ text: t });
    } else {
      warn(where, `a page of title lines only ("${titles.join(' / ')}"): read as one article with these lines as its text`);
      articles.push({
        id: `${name}#1`,
        page: name,
        kickers: [],
        headline: '',
        paragraphs: titles.map((t) => ({ text: t })),
        captions: pendingCaptions,
      });
    }
  }

  /** Adds line i to the current article as body text; returns the last line it took (a list takes the lines after it). */
  function addBody(i: number): number {
    underNote = false;
    const line = lines[i]!;
    const t = line.text;
    const plain = t.normalize('NFKC');
    if (!current) openArticle(t);
    const article = current!;
    const last = lastParagraph();
    if (line.continues && last && !last.list && last.section === section) {
      last.text += t; // the printed column's next line
      return i;
    }
    if (
      last &&
      isOpen(last) &&
      last.section === section &&
      !DATELINE.test(plain) &&
      !numbered(t) &&
      !LIST_INTRO.test(plain) &&
      !isField(plain)
    ) {
      last.text += t; // the rest of a sentence the layout cut
      return i;
    }
    // the fields of a notice one under another ("时间:…" "地点:…") are one fact, read together
    const above = lines[i - 1];
    if (
      last &&
      !last.list &&
      last.section === section &&
      isField(plain) &&
      above !== undefined &&
      isField(above.text.normalize('NFKC')) &&
      !gapBetween(above.no, line.no) &&
      last.text.endsWith(above.text)
    ) {
      last.text += `；${t}`;
      return i;
    }
    // an item numbered "三、" ends the part a heading "二、……" opened
    if (/^[一二三四五六七八九十]{1,3}、/.test(plain)) section = undefined;
    let body = t;
    const dateline = article.paragraphs.length === 0 ? DATELINE.exec(plain) : null;
    if (dateline) {
      article.dateline = plain.slice(0, dateline[0].length).trim();
      if (dateline[2]) article.date = isoDay(year, dateline[2], dateline[3]!);
      const outlets = (dateline[1] ?? '').split(/[/、]+/).filter((o) => o && OUTLET_WORD.test(o));
      if (outlets.length) article.byline = merge(article.byline, { raw: article.dateline, outlets, reporters: [], correspondents: [] });
      body = plain.slice(dateline[0].length).trim();
      // "…讯(记者 王佳琪 通讯员 刘海燕)上班族看病有了新选择。"
      const credit = /^[((]([^()()]{2,40})[))]\s*/.exec(body);
      const byline = credit ? parseByline(credit[1]!) : undefined;
      if (byline) {
        article.byline = merge(article.byline, byline);
        body = body.slice(credit![0].length);
      }
      if (!body) return i;
    }
    // "【记者林佩璇/青岛报道】" opening the text: who reported it, and from where
    const reported = article.paragraphs.length === 0 ? REPORTED_FROM.exec(plain) : null;
    if (reported) {
      article.byline = merge(article.byline, { raw: reported[0], outlets: [], reporters: [reported[1]!], correspondents: [] });
      body = plain.slice(reported[0].length).trim();
      if (!body) return i;
    }
    const list = (LIST_INTRO.test(plain) || (nextOf(i) && numbered(nextOf(i)!.text))) && !tableAt(i + 1) ? listAfter(i) : undefined;
    article.paragraphs.push(list ? { section, text: body, list: { intro: body, items: list.items } } : { section, text: body });
    return list ? list.end : i;
  }

  const date = named?.iso ?? articles.find((a) => a.date)?.date;
  for (const a of articles) a.date ??= date;

  const sessions = [];
  for (const block of previewBlocks) {
    const { session, warning } = parsePreview(block.lines.slice(1), `${name}:${block.no}`, year, date);
    if (warning) warnings.push(warning);
    if (session) sessions.push(session);
  }
  // an article copied twice into the page is read once
  const printed = new Set<string>();
  const once = articles.filter((a) => {
    const key = [a.headline, ...a.paragraphs.map((p) => p.text)].join('\n');
    if (printed.has(key)) return false;
    printed.add(key);
    return true;
  });
  return { name, year, date, articles: once.filter((a) => a.paragraphs.length > 0 || a.captions.length > 0), sessions, warnings };
}
