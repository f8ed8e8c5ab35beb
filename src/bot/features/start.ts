/** /start and /help: what the bot knows, example questions as buttons, the commands. */
import { Composer, type Context } from 'telegraf';
import { newestFirst } from '../../core/compose.js';
import { escapeHtml, headlineItem } from '../../html.js';
import { suggestionKeyboard, type BotServices } from '../context.js';

/** Headlines listed in the welcome; the rest are counted. */
const LISTED_ARTICLES = 10;

export function welcomeHtml(services: BotServices, botUsername?: string): string {
  const { articles } = services.engine.knowledge;
  const newest = newestFirst(articles).slice(0, LISTED_ARTICLES);
  const lines = [
    '<b>青岛新闻问答</b>',
    `我根据报纸已刊登的报道回答你关于青岛民生新闻的问题,并告诉你答案出自哪篇报道。已收录 ${articles.length} 篇:`,
    ...newest.map(headlineItem),
  ];
  if (articles.length > newest.length) lines.push(`……等 ${articles.length} 篇`);
  lines.push(
    '',
    '直接发问题给我就行,也可以追问,比如先问利率,再问“那5年期呢?”。',
    '',
    '/schedule 下期“民生在线”的时间和单位',
    ...(services.store ? ['/subscribe 订阅预告、开始前提醒和新文章通知'] : []),
    '/help 这段说明',
    `在群里:提到我${botUsername ? `(@${escapeHtml(botUsername)})` : ''}、回复我,或用 /ask 问题。`,
  );
  if (botUsername) lines.push(`在任何聊天里输入 @${escapeHtml(botUsername)} 关键词,可以直接引用答案。`);
  return lines.join('\n');
}

export function startFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  const welcome = async (ctx: Context) => {
    const keyboard = suggestionKeyboard(services, services.engine.suggestions([]));
    // a chat that had blocked the bot comes back: its subscriptions resume
    const resumed = ctx.chat && services.store ? await services.store.subscribers.resume(ctx.chat.id) : false;
    const html = welcomeHtml(services, ctx.botInfo?.username) + (resumed ? '\n\n欢迎回来,你的订阅推送已恢复。' : '');
    await ctx.reply(html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard ?? {}),
    });
  };
  composer.start(welcome);
  composer.help(welcome);
  return composer;
}
