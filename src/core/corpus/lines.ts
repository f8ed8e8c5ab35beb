/**
 * The first pass of reading a page (parse-page.ts): what each line is, told by its own shape: its
 * length, its punctuation, brackets, the words that mark captions, bylines, sources, datelines,
 * fields, tables and the furniture of sites and apps (`kindOf`); and the text of a copy freed of the
 * HTML or Markdown it kept. Patterns are read on the NFKC form of a line, in which full-width
 * punctuation is plain ASCII ("：" is ":").
 */
import { PREVIEW_START } from './preview.js';
import type { Byline } from './types.js';

export type Kind = 'furniture' | 'meta' | 'byline' | 'caption' | 'heading' | 'preview' | 'subtitle' | 'title' | 'body';

export const HEADING = /^(?:>{2,}|》{2,}|■|◆|▍|◎)\s*(.+)$|^【([^】]{1,12})】$|^【[^】]{1,12}】\s*([^:：。,，]{2,20})$/;
/** a caption by its end: "… 摄", "…供图", "(记者 … 摄)" */
const CAPTION_END = /(?:\s|^)(?:摄|摄影|供图|图)$|^[图圖][/／].{2,12}[摄攝]$|[((](?:[^()()]*\s)?摄[))]$/;
/** a caption or picture label by its start or as a whole */
const CAPTION_START = /^(?:图为|图:|图\d{1,2}\s*:|▲|△|资料图|配图|(上|下|左|右)图)/;
/** a label in brackets standing alone: "(屋面修缮效果图)", "(2016年9月20日)", "(图片来源:网络)" */
const BRACKETED_LABEL = /^[((][^()()]{1,30}[))]$/;
const LABEL_WORDS = /图|照片|摄|影像|视频|提供|来源|^\d{4}年\d{1,2}月\d{1,2}日$|^\d{1,2}月\d{1,2}日$/;
/** a dateline: "本报3月29日讯", "青岛日报/观海新闻5月12日讯", "新华社北京3月1日电", "本报讯" */
export const DATELINE = /^(?:本报讯|(\S{0,16}?)(\d{1,2})月(\d{1,2})日(?:电|讯))\s*/;
/** sources and page furniture */
export const SOURCE = /^[【[(]?(?:内容)?来源\s*[::]\s*(.+?)[】\])]?$/;
/** "【记者林佩璇/青岛报道】", "【記者林佩璇/青島報導】" */
export const REPORTED_FROM = /^【(?:本报)?(?:记者|記者)\s*([\u4e00-\u9fff·]{2,4})\s*\/\s*[^】]{1,12}?(?:报道|報導)】\s*/;
/** a line that ends with a site's date and time */
export const STAMP_AFTER = /^(.{6,}?)\s*(\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s*$/;
/** a line that names its outlet, then what follows: "青岛晚报 | 城事速递" */
export const MASTHEAD = /^(\S{2,10})\s*[|｜]\s*(\S.{1,40})$/;
/** a web page's stamp under its headline: "2024-05-12 08:30:12 来源:青岛新闻网" */
const STAMP =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+(?:(?:来源|作者|编辑|责任编辑|记者|摄影|浏览次数|点击)\s*[::]\s*)?\S{1,16})*\s*$/;
/** the headline a repost replaced ("原标题:……"), and the links to other stories under an article */
const ORIGINAL_TITLE = /^原标题\s*[::]/;
export const RELATED =
  /^[【[▼▲★◆■●\s-]*(?:相关新闻|相关阅读|相关链接|相关推荐|延伸阅读|推荐阅读|往期回顾|往期推荐|往期精彩|更多阅读|热门推荐|猜你喜欢|喜欢此内容的人还喜欢|相關新聞|相關閱讀|延伸閱讀|推薦閱讀)[】\]▼▲★◆■●\s-]*[::]?$/;
const EDITOR = /^(?:责任)?编辑\s*[::]/;
export const PUBLISHED = /^(?:发布|发表|更新)(?:时间|日期)\s*[::]/;
const FURNITURE =
  /阅读量|阅读数|点击查看|查看更多|点个?[“"]?在看|分享到|转发给|关注我们|扫码关注|长按识别|^字[号体]\s*[::]|【(?:字体|纠错|打印|关闭)|打开APP|^阅读\s*[\d.]+万?(?:\s|$)|^[A-Z]?\d{1,2}$|^文字\s*[::].{1,20}图片\s*[::]|网页链接|^赞\s*\d|^评论\s*\d|阅读原文|喜欢此内容|^原创\s|^▶|^\[\d+\/\d+\]$|\[?上一张\]?|返回图集|[下上]转第?[A-Z]?\d*.?版|^附件\s*[::]|^(?:微信|微博|QQ空间|朋友圈)(?:\s+(?:微信|微博|QQ空间|朋友圈))*$|\S\s*>\s*\S+\s*>\s*\S|^(?:索引号|发布机构|生成日期|成文日期|文号|主题分类|有效性|公开方式|所属机构)\s*[::]|扫一扫|^举报|^\+?关注$|^声明\s*[::]|^图片来源\s*[::]\s*网络|^原文链接\s*[::]|^-+\s*END\s*-+$|侵权|^在看\s*\d|来自\s*\S*客户端|^(?:#[^#]{1,20}#\s*)+$|刷新\s*\|?\s*正序|^评论\s*[(]\d+[)]|^\d{1,2}:\d{2}$|阅读全文约需|^上一篇\s*[:：]|^下一篇\s*[:：]|^网友评论|抢沙发|^\[(?:图片|表情|视频|语音|二维码)\]|^[-—=*·_~]{3,}$/;
/** a post's counts of shares, comments and likes: what follows them is readers' comments, not news */
export const ENGAGEMENT = /^转发\s*\d+\s*评论\s*\d+\s*赞\s*\d+/;
/** a repost's note of where it was first published: "本文转载自微信公众号“市北身边事”", "转自:市北身边事" */
export const REPOSTED = /^(?:本文)?转(?:载)?自\s*[::]?\s*(?:微信公众号)?\s*[“"]?([^”"]{2,20})[”"]?$/;
/** what an app prints inside the text ("展开全文"): taken out of the line */
export const INLINE_FURNITURE =
  /展开全文|@所有人|\[(?:图片|表情)\]|#[^#\s]{1,20}#|^\+关注|[(（][上下]接[A-Z]?\d+版[)）]|[(（][下上]转第?[A-Z]?\d+版[)）]/g;
/** a printed page's header: "青岛日报 2016年9月22日 星期四 要闻 5" */
export const PAGE_HEADER = /^(\S{2,12})\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s+星期[一二三四五六日天]/;
/** a notice's date, alone or after who signed it: "2019年3月8日", "青岛公交集团2025年1月6日" */
export const SIGNED =
  /^(?:[\u4e00-\u9fff()]{2,30}?(?:局|院|集团|公司|办公室|中心|委员会|政府|大队|支队|学校|办事处|协会|管理处))?\s*(\d{4})年(\d{1,2})月(\d{1,2})日$/;
/** the date first: "2023年3月29日 星期三 青岛都市日报 A05版" */
export const DATE_FIRST = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天](?:\s+(\S{2,12}))?(?:\s+\S{1,8})?\s*$/;
/** the same with the section first: "A1 要闻   青岛日报 2020年6月3日 星期三" */
export const PAGE_HEADER_ANYWHERE = /^.{0,60}?(\S{2,12})\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天][\sA-Z\d]*$/;
/** a social-media header: "青岛发布 2021-08-17 18:30" */
export const CHANNEL_HEADER =
  /^(\S{2,12})\s+(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2})?(?:\s+(?:更新至\s*\d{1,2}:\d{2}|[\u4e00-\u9fff]{2,4}|(?:摄影|文|图)(?:\/(?:摄影|文|图))*\s+[\u4e00-\u9fff]{2,4}))?$/;
export const SENTENCE_END = /[。!?!?…;;][”’"'」』))]*$/;
export const OUTLET_WORD = /新闻|晚报|日报|早报|都市报|全媒体|电视台|广播|网|社|发布|客户端|融媒/;
/** a line that is only an outlet's name */
export const OUTLET_LINE = new RegExp(`^[\\u4e00-\\u9fff]{0,6}(?:${OUTLET_WORD.source})$`);
/** markers after which one item a line follows: "名单如下:", "……有没有你家吧↓↓↓", "包括:" */
export const LIST_INTRO = /(?:[::]|↓+|👇+|如下|以下|(?:看看|看一看|瞧瞧)吧?[~～!！。]*)\s*$/u;
/** a numbered or bulleted line: "1.…", "(2)…", "①…", "✅ …" */
export const BULLET =
  /^(?:\d\u{FE0F}?\u20E3|\d{1,2}[.\u3001\uff0e)\uff09]|[(\uff08]\d{1,2}[)\uff09]|[\u2460-\u2473]|[✅✔☑•·\-–—●○◆■▶►👉➤➢])/u;
export const NUMBERING =
  /^(?:\d\u{FE0F}?\u20E3|\d{1,2}[.\u3001\uff0e)\uff09]|[(\uff08]\d{1,2}[)\uff09]|[\u2460-\u2473]|[✅✔☑•·\-–—●○◆■▶►👉➤➢]\u{FE0F}?)\s*/u;
/** what ends an item of a list, left out of it: ；。，、 */
export const ITEM_END = /[;,\uff1b\uff0c\u3002\u3001]+$/;
/** a field of a notice, "name: value": "首班:6:30", "停水时间:7月15日8:00—20:00", "线路:637路(…)" */
const FIELD =
  /^[\u4e00-\u9fff]{0,6}(?:时间|日期|时段|期限|地点|地址|网址|网站|平台|线路|首班|末班|班次|间隔|票价|价格|收费|费用|标准|对象|范围|电话|热线|方式|条件|材料|单位|名称|区域|路段|站点|规模|面积|名额|要求|内容|安排|原因|影响|亮点|特色|优惠|备注|说明|提示|走向)\s*:\s*\S/;
/** a short line of a name and a value, as a price list prints them: "普通门诊:10元", "地点:门诊楼一楼" */
const SHORT_FIELD = /^(?:[\u4e00-\u9fff]{2,8}|\d{1,2}月\d{1,2}日)\s*:\s*(?:[^。!?;:]|(?<=\d):(?=\d)){1,20}$/;
export const isField = (plain: string) => {
  const bare = plain.replace(DECORATION, '').trim(); // "📍地址:……"
  return FIELD.test(bare) || SHORT_FIELD.test(bare);
};
/** a short label a pictograph opens, as social-media posts head their parts: "⏰ 开诊时间", "📍 地点" */
export const LABEL = /^\p{Extended_Pictographic}\u{FE0F}?\s*[\u4e00-\u9fff\w]{1,10}$/u;
/** a question and the answer under it, as interviews and notices print them: "问:"/"Q:" over "答:"/"A:" */
export const QUESTION_LINE = /^(?:问|Q|提问|记者|记者提问|网友[^:]{0,12}?)\s*\d*\s*:/i;
/** the answer, or the turn of the one interviewed ("王德顺:……") */
export const ANSWER_LINE = /^(?:答|A|回答|嘉宾|[\u4e00-\u9fff]{2,4})[^:。]{0,12}:/i;
/** a question and its answer on one line, as a list of questions prints them: "1.问:…… 答:……" */
export const QA_LINE = /^(?:\d{1,2}[.、]\s*)?(问\s*:.+?[?？]?)\s*(答\s*:.+)$/;
/** a heading numbered as official texts number them: "二、管制范围及措施" */
export const ORDINAL_HEADING = /^[一二三四五六七八九十]{1,3}[、.]\s*[^。;,!?]{2,20}$/;
/** a line that separates the articles of a digest */
export const SEPARATOR = /^[-—=*·_~]{3,}$|^\d{2}$/;
/** a cell that names a column ("序号", "报修电话", "价格(元)"), not a value ("东平路社区") */
export const HEADER_CELL =
  /^.{0,3}(?:序号|编号|名称|地址|地点|电话|时间|时间段|日期|时段|项目|价格|费用|类别|区域|单位|线路|站点|事项|内容|备注|数量|金额|标准|姓名|职务|门诊|科室|对象|范围)(?:[(（].{1,4}[)）])?$/;
/** a table's column of row numbers */
export const NUMBER_COLUMN = /^(?:序号|编号|排名|No\.?)$/i;
/** A line's cells when it reads as a row of a table: two or more short runs between spaces, no sentence. */
export function cellsOf(text: string): string[] | undefined {
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
export const DECORATION = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}↓↑→←]/gu;

/** Markdown a copy kept ("## 小标题", "**加粗**", "> 引文", "[链接](#)"): headings marked as the reader knows them, marks left out. */
export function withoutMarkdown(text: string): string {
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

/** HTML a copy kept ("<p>", "<br>", "&nbsp;", "&ldquo;"): paragraphs and line breaks become lines, entities their characters. */
export function withoutMarkup(text: string): string {
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
export function titleLike(t: string): boolean {
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

export function kindOf(line: string): Kind {
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
