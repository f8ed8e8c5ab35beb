/**
 * /subscribe, /unsubscribe (with buttons) and /subscriptions. A change is confirmed only once it is
 * on disk. In a group only its administrators may change the group's subscriptions. A chat that
 * blocked the bot is paused, and resumes with /start, /subscribe or when it unblocks the bot.
 */
import { Composer, Markup, type Context } from 'telegraf';
import { TOPICS, type Topic } from '../../store/subscribers.js';
import type { BotServices } from '../context.js';

const SUB_PREFIX = 'sub:';
const ANONYMOUS_ADMIN = 1087968824; // GroupAnonymousBot: an administrator posting as the group

/** Whether the sender may change this chat's subscriptions. */
export async function mayManage(ctx: Context): Promise<boolean> {
  if (ctx.chat?.type === 'private') return true;
  if (ctx.chat?.type === 'channel' || !ctx.from) return false;
  if (ctx.from.id === ANONYMOUS_ADMIN) return true;
  try {
    const member = await ctx.telegram.getChatMember(ctx.chat!.id, ctx.from.id);
    return member.status === 'creator' || member.status === 'administrator';
  } catch {
    return false;
  }
}

const NOT_ADMIN = '只有群管理员可以更改本群的订阅。';
const STALE = '这个按钮已失效,请重新发 /subscribe。';
const TOPIC_WORDS = Object.keys(TOPICS).join('|');

function keyboard(topics: Topic[], only: 'all' | 'subscribed' = 'all') {
  const rows = (Object.keys(TOPICS) as Topic[])
    .filter((t) => only === 'all' || topics.includes(t))
    .map((t) => [
      topics.includes(t)
        ? Markup.button.callback(`✅ ${TOPICS[t]}(点此退订)`, `${SUB_PREFIX}off:${t}`)
        : Markup.button.callback(`订阅:${TOPICS[t]}`, `${SUB_PREFIX}on:${t}`),
    ]);
  if (only === 'subscribed' && topics.length > 1) rows.push([Markup.button.callback('全部退订', `${SUB_PREFIX}off:all`)]);
  return Markup.inlineKeyboard(rows);
}

function describe(topics: Topic[], paused = false): string {
  if (!topics.length) return '你还没有订阅任何内容。';
  const lines = ['已订阅:', ...topics.map((t) => `· ${TOPICS[t]}`)];
  if (paused) lines.push('(因为消息发不到这里,推送已暂停;发 /subscribe 即可恢复)');
  return lines.join('\n');
}

export function subscribeFeature(services: BotServices): Composer<Context> {
  const store = services.store!;
  const composer = new Composer<Context>();
  const topicsOf = async (chatId: number) => (await store.subscribers.get(chatId))?.topics ?? [];

  composer.command('subscribe', async (ctx) => {
    if (!(await mayManage(ctx))) {
      await ctx.reply(NOT_ADMIN);
      return;
    }
    const resumed = await store.subscribers.resume(ctx.chat.id);
    const head = resumed ? '欢迎回来,推送已恢复。\n' : '';
    await ctx.reply(`${head}选择要订阅的内容:`, keyboard(await topicsOf(ctx.chat.id)));
  });

  composer.command('unsubscribe', async (ctx) => {
    if (!(await mayManage(ctx))) {
      await ctx.reply(NOT_ADMIN);
      return;
    }
    const topics = await topicsOf(ctx.chat.id);
    if (!topics.length) {
      await ctx.reply('你还没有订阅任何内容。发 /subscribe 订阅。');
      return;
    }
    await ctx.reply('选择要退订的内容:', keyboard(topics, 'subscribed'));
  });

  composer.command('subscriptions', async (ctx) => {
    const s = await store.subscribers.get(ctx.chat.id);
    await ctx.reply(
      describe(s?.topics ?? [], s?.status === 'blocked'),
      s ? keyboard(s.topics) : Markup.inlineKeyboard([[Markup.button.callback('去订阅', `${SUB_PREFIX}menu`)]]),
    );
  });

  composer.action(`${SUB_PREFIX}menu`, async (ctx) => {
    if (!ctx.chat) return ctx.answerCbQuery(STALE); // a button in an inline message has no chat
    if (!(await mayManage(ctx))) {
      await ctx.answerCbQuery(NOT_ADMIN, { show_alert: true });
      return;
    }
    await ctx.answerCbQuery();
    await ctx.reply('选择要订阅的内容:', keyboard(await topicsOf(ctx.chat.id)));
  });

  composer.action(new RegExp(`^${SUB_PREFIX}(?:(on):(${TOPIC_WORDS})|(off):(${TOPIC_WORDS}|all))$`), async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return ctx.answerCbQuery(STALE);
    if (!(await mayManage(ctx))) {
      await ctx.answerCbQuery(NOT_ADMIN, { show_alert: true });
      return;
    }
    const on = ctx.match[2] as Topic | undefined;
    const off = ctx.match[4] as Topic | 'all' | undefined;
    let notice: string;
    try {
      if (on) {
        await store.subscribers.subscribe(chat.id, chat.type, on);
        notice = `已订阅:${TOPICS[on]}`;
      } else {
        const topic = off!;
        await store.subscribers.unsubscribe(chat.id, topic);
        notice = topic === 'all' ? '已全部退订' : `已退订:${TOPICS[topic]}`;
      }
    } catch (err) {
      services.logger.error(`subscription change for chat ${chat.id} not saved`, err);
      await ctx.answerCbQuery('没有保存成功,请稍后再试。', { show_alert: true });
      return;
    }
    await ctx.answerCbQuery(notice); // only now: the change is on disk
    const topics = await topicsOf(chat.id);
    await ctx.editMessageText(`${notice}\n\n${describe(topics)}`, keyboard(topics)).catch(() => undefined);
  });

  // any other sub: data is a button of an older version of the bot
  composer.action(new RegExp(`^${SUB_PREFIX}`), (ctx) => ctx.answerCbQuery(STALE));

  // a private chat that blocks the bot is paused at once; unblocking resumes it
  composer.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const chatId = ctx.chat.id;
    if (status === 'kicked' || status === 'left') await store.subscribers.markBlocked([chatId]);
    else if (status === 'member' || status === 'administrator') await store.subscribers.resume(chatId);
  });

  return composer;
}
