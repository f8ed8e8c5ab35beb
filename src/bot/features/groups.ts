/** Joining a group: one message saying what the bot does and how to ask it there. */
import { Composer, type Context } from 'telegraf';
import type { ChatMember } from 'telegraf/types';
import { escapeHtml } from '../../html.js';
import type { BotServices } from '../context.js';

/** The introduction sent to a group that adds the bot; how to ask is what the ask feature answers in groups. */
export function groupWelcomeHtml(services: BotServices, botUsername: string): string {
  const me = `@${escapeHtml(botUsername)}`;
  return [
    '<b>青岛新闻问答</b>',
    '大家好!我根据报纸已刊登的报道回答关于青岛民生新闻的问题,并告诉你答案出自哪篇报道。',
    '',
    '在群里,这样问我:',
    `· 提到我:${me} 下期民生在线什么时候?`,
    '· 回复我发的消息,写上问题',
    '· 用命令:/ask 问题',
    '群里其他的聊天我不回复。',
    '',
    '/schedule 下期“民生在线”的时间和单位',
    '/rates 报道里的存款利率一览',
    ...(services.store ? ['/subscribe 订阅预告和提醒(群管理员可用)'] : []),
    '/help 更多说明',
  ].join('\n');
}

/** A member of the chat: present, whatever its rights. */
const present = (m: ChatMember) =>
  m.status === 'member' || m.status === 'administrator' || m.status === 'creator' || (m.status === 'restricted' && m.is_member);

export function groupsFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on('my_chat_member', async (ctx, next) => {
    const { chat, old_chat_member: before, new_chat_member: now } = ctx.myChatMember;
    const joined =
      (chat.type === 'group' || chat.type === 'supergroup') &&
      !present(before) &&
      (now.status === 'member' || now.status === 'administrator');
    try {
      if (joined)
        await ctx.reply(groupWelcomeHtml(services, ctx.botInfo.username), {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        });
    } finally {
      await next(); // the chat's subscriptions follow its membership
    }
  });
  return composer;
}
