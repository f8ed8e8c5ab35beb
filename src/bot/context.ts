/** What the bot's features share: the engine, per-chat conversations, suggestion ids, logger, config. */
import { createHash } from 'node:crypto';
import type { Context } from 'telegraf';
import type { Engine } from '../core/engine.js';
import type { Broadcaster } from '../delivery/broadcaster.js';
import type { Logger } from '../logger.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import type { ConversationStore, Store, UpdateStore } from '../store/index.js';
import { toHtmlMessages } from './format.js';
import { Markup } from 'telegraf';

/** Short, stable ids for suggested questions, so a button's callback data stays far below 64 bytes. */
export class SuggestionIds {
  private readonly byId = new Map<string, string>();

  static idOf(question: string): string {
    return createHash('sha1').update(question).digest('base64url').slice(0, 12);
  }

  constructor(questions: string[]) {
    for (const q of questions) this.add(q);
  }

  add(question: string): string {
    const id = SuggestionIds.idOf(question);
    this.byId.set(id, question);
    return id;
  }

  question(id: string): string | undefined {
    return this.byId.get(id);
  }
}

export interface BotServices {
  /** the engine in service (it changes when the corpus is reloaded) */
  readonly engine: Engine;
  /** per-chat conversations: the store's (shared by workers), or this process's own */
  conversations: ConversationStore;
  /** update ids handled: the store's (shared by workers), or this process's own */
  updates: UpdateStore;
  suggestionIds: SuggestionIds;
  logger: Logger;
  /** subscriptions, statistics, broadcasts; absent in a bot that only answers */
  store?: Store;
  newsroom?: Newsroom;
  broadcaster?: Broadcaster;
  /** Telegram user ids allowed the newsroom commands */
  adminIds: number[];
}

/** Callback data of a suggestion button. */
export const ASK_PREFIX = 'ask:';

/** Inline keyboard of suggested questions, one a row. */
export function suggestionKeyboard(services: BotServices, questions: string[]) {
  if (!questions.length) return undefined;
  return Markup.inlineKeyboard(questions.map((q) => [Markup.button.callback(q, ASK_PREFIX + services.suggestionIds.add(q))]));
}

/** Sends a reply text as HTML, split if long, `highlight` in bold; the keyboard goes on the last message. */
export async function replyText(
  ctx: Context,
  text: string,
  keyboard?: ReturnType<typeof suggestionKeyboard>,
  replyTo?: number,
  highlight?: string,
): Promise<void> {
  const messages = toHtmlMessages(text, undefined, highlight);
  for (let i = 0; i < messages.length; i++) {
    const last = i === messages.length - 1;
    await ctx.reply(messages[i]!, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(replyTo && i === 0 ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      ...(last && keyboard ? keyboard : {}),
    });
  }
}
