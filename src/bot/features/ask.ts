/**
 * Questions: any text in a private chat, and a photo's caption; in a group only when the bot is
 * mentioned, replied to, or asked with /ask. An edited question is answered again, as a new reply.
 * Taps on suggestion buttons ask the suggested question.
 */
import { Composer, type Context } from 'telegraf';
import { editedMessage, message } from 'telegraf/filters';
import type { Message, MessageEntity } from 'telegraf/types';
import { ASK_PREFIX, replyText, suggestionKeyboard, type BotServices } from '../context.js';
import { ratesKeyboard } from './rates.js';

/** Added to the reply to a question written without Chinese: the bot reads only Chinese. */
export const READS_CHINESE = '我只读得懂中文,请用中文提问。\nI only read Chinese. Please ask in Chinese.';

/** A question mostly in Latin letters, with no Chinese character. */
export function writtenInLatin(text: string): boolean {
  if (/\p{Script=Han}/u.test(text)) return false;
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  return latin >= 2 && latin * 2 > letters.length;
}

/** Answers one question in the chat of `ctx`, keeping that chat's conversation. */
export async function answer(services: BotServices, ctx: Context, question: string, replyTo?: number): Promise<void> {
  const chatId = ctx.chat?.id ?? ctx.from?.id ?? 0;
  // a store out of reach costs the follow-up, not the answer
  const conversation = await services.conversations.get(chatId).catch((err: Error) => {
    services.logger.warn(`chat ${chatId}: conversation not read (${err.message}); answered without it`);
    return {};
  });
  const a = await services.engine.ask(question, conversation);
  await services.conversations
    .set(chatId, conversation)
    .catch((err: Error) => services.logger.warn(`chat ${chatId}: conversation not kept (${err.message})`));
  if (['fact', 'partial', 'rates', 'out_of_scope', 'unknown_entity', 'schedule'].includes(a.intent))
    services.store?.stats.record(question, a.answered);
  const keyboard = a.intent === 'rates' && a.answered ? ratesKeyboard() : suggestionKeyboard(services, a.suggestions);
  let reply = a.reply;
  // in Latin letters: an answer keeps its text with the hint after it; a decline is the hint
  if (writtenInLatin(question)) reply = a.answered ? `${a.reply}\n\n${READS_CHINESE}` : READS_CHINESE;
  await replyText(ctx, reply, keyboard, replyTo, a.highlight);
}

const isPrivate = (ctx: Context) => ctx.chat?.type === 'private';

/** What a message says: its text, or a photo's caption; undefined for anything else. */
interface Said {
  text: string;
  entities: MessageEntity[];
  /** the message it replies to is the bot's */
  repliesToBot: boolean;
}

function said(msg: Message, botId: number): Said | undefined {
  const repliesToBot = 'reply_to_message' in msg && msg.reply_to_message?.from?.id === botId;
  if ('text' in msg) return { text: msg.text, entities: msg.entities ?? [], repliesToBot };
  if ('photo' in msg && msg.caption) return { text: msg.caption, entities: msg.caption_entities ?? [], repliesToBot };
  return undefined;
}

/** The text of a group message addressed to the bot, without the mention; undefined when not addressed. */
export function addressedText(s: Said, username: string): string | undefined {
  const mention = `@${username}`.toLowerCase();
  const mentioned = s.entities.some((e) => e.type === 'mention' && s.text.slice(e.offset, e.offset + e.length).toLowerCase() === mention);
  if (!mentioned && !s.repliesToBot) return undefined;
  return s.text.replace(new RegExp(`@${username}\\b`, 'gi'), ' ').trim();
}

/** The question after /ask (or /ask@username); undefined for any other command or one for another bot. */
export function askPayload(text: string, username: string): string | undefined {
  const m = /^\/ask(?:@(\w+))?(?=\s|$)/.exec(text);
  if (!m || (m[1] && m[1].toLowerCase() !== username.toLowerCase())) return undefined;
  return text.slice(m[0].length).trim();
}

const EMPTY_ASK = '请在 /ask 后面写上问题,比如:/ask 下期民生在线什么时候?';

/** The question each recent message was last answered with, so that an edit asking the same gets no second answer. */
class AnsweredMessages {
  private readonly questions = new Map<string, string>();
  constructor(private readonly max = 1000) {}

  /** Records `question` for the message; false when the message was already answered with it. */
  record(chatId: number, messageId: number, question: string): boolean {
    const key = `${chatId}:${messageId}`;
    if (this.questions.get(key) === question) return false;
    this.questions.delete(key);
    this.questions.set(key, question); // most recent last
    if (this.questions.size > this.max) this.questions.delete(this.questions.keys().next().value!);
    return true;
  }
}

export function askFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  const answered = new AnsweredMessages();

  /** Answers what a message or its edit asks, if it asks the bot anything. */
  const ask = async (ctx: Context, msg: Message, edited: boolean, next: () => Promise<void>): Promise<void> => {
    const s = said(msg, ctx.botInfo.id);
    if (!s) return next();
    const replyTo = isPrivate(ctx) && !edited ? undefined : msg.message_id;
    let question: string | undefined;
    if (s.text.startsWith('/')) {
      // a new message's command has its own handler (or the fallback's answer); an edit or a caption asks only by /ask
      if (!edited && 'text' in msg) return next();
      question = askPayload(s.text, ctx.botInfo.username);
      if (question === undefined) return edited ? undefined : next();
      if (!question) {
        await ctx.reply(EMPTY_ASK, replyTo ? { reply_parameters: { message_id: replyTo } } : {});
        return;
      }
    } else if (isPrivate(ctx)) {
      question = s.text;
    } else {
      question = addressedText(s, ctx.botInfo.username);
      if (question === undefined) return; // group talk not meant for the bot
      if (!question) {
        await ctx.reply('我在。请直接写问题,比如:下期民生在线什么时候?', { reply_parameters: { message_id: msg.message_id } });
        return;
      }
    }
    if (!answered.record(msg.chat.id, msg.message_id, question)) return;
    await answer(services, ctx, question, replyTo);
  };

  composer.command('ask', async (ctx) => {
    const question = ctx.payload.trim();
    if (!question) {
      await ctx.reply(EMPTY_ASK);
      return;
    }
    answered.record(ctx.chat.id, ctx.message.message_id, question);
    await answer(services, ctx, question, isPrivate(ctx) ? undefined : ctx.message.message_id);
  });

  composer.on(message('text'), (ctx, next) => ask(ctx, ctx.message, false, next));
  composer.on(message('photo'), (ctx, next) => ask(ctx, ctx.message, false, next));
  composer.on(editedMessage('text'), (ctx, next) => ask(ctx, ctx.editedMessage, true, next));
  composer.on(editedMessage('photo'), (ctx, next) => ask(ctx, ctx.editedMessage, true, next));

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
