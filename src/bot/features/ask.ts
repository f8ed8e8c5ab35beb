/**
 * Questions: any text in a private chat; in a group only when the bot is mentioned, replied to, or
 * asked with /ask. Taps on suggestion buttons ask the suggested question.
 */
import { Composer, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Message, MessageEntity } from 'telegraf/types';
import { ASK_PREFIX, replyText, suggestionKeyboard, type BotServices } from '../context.js';
import { ratesKeyboard } from './rates.js';

/** Answers one question in the chat of `ctx`, keeping that chat's conversation. */
export async function answer(services: BotServices, ctx: Context, question: string, replyTo?: number): Promise<void> {
  const chatId = ctx.chat?.id ?? ctx.from?.id ?? 0;
  const a = await services.engine.ask(question, services.conversations.get(chatId));
  if (['fact', 'partial', 'rates', 'out_of_scope', 'unknown_entity', 'schedule'].includes(a.intent))
    services.store?.stats.record(question, a.answered);
  const keyboard = a.intent === 'rates' && a.answered ? ratesKeyboard() : suggestionKeyboard(services, a.suggestions);
  await replyText(ctx, a.reply, keyboard, replyTo, a.highlight);
}

const isPrivate = (ctx: Context) => ctx.chat?.type === 'private';

/** The text of a group message addressed to the bot, without the mention; undefined when not addressed. */
export function addressedText(msg: Message.TextMessage, botId: number, username: string): string | undefined {
  const mention = `@${username}`.toLowerCase();
  const entities: MessageEntity[] = msg.entities ?? [];
  const mentioned = entities.some((e) => e.type === 'mention' && msg.text.slice(e.offset, e.offset + e.length).toLowerCase() === mention);
  const repliedTo = msg.reply_to_message?.from?.id === botId;
  if (!mentioned && !repliedTo) return undefined;
  return msg.text.replace(new RegExp(`@${username}\\b`, 'gi'), ' ').trim();
}

export function askFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command('ask', async (ctx) => {
    const question = ctx.payload.trim();
    if (!question) {
      await ctx.reply('请在 /ask 后面写上问题,比如:/ask 下期民生在线什么时候?');
      return;
    }
    await answer(services, ctx, question, isPrivate(ctx) ? undefined : ctx.message.message_id);
  });

  composer.on(message('text'), async (ctx, next) => {
    const msg = ctx.message;
    if (msg.text.startsWith('/')) return next(); // a command no feature knows: the fallback answers
    if (isPrivate(ctx)) return answer(services, ctx, msg.text);
    const text = addressedText(msg, ctx.botInfo.id, ctx.botInfo.username);
    if (text === undefined) return; // group talk not meant for the bot
    if (!text) {
      await ctx.reply('我在。请直接写问题,比如:下期民生在线什么时候?', { reply_parameters: { message_id: msg.message_id } });
      return;
    }
    await answer(services, ctx, text, msg.message_id);
  });

  composer.action(new RegExp(`^${ASK_PREFIX}(.+)$`), async (ctx) => {
    const question = services.suggestionIds.question(ctx.match[1]!);
    if (!question) {
      await ctx.answerCbQuery('这个按钮已失效,请直接输入问题。');
      return;
    }
    await ctx.answerCbQuery();
    if (ctx.chat) await answer(services, ctx, question);
  });

  return composer;
}
