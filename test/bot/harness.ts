/**
 * Bot feature tests without a network: updates go in through bot.handleUpdate(), and every Bot API
 * call is recorded instead of sent (telegraf makes a client per update, so calls are caught on the
 * prototype while a suite runs).
 */
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { createBot, type BotOptions } from '../../src/bot/create-bot.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/logger.js';
import { engineFor, SEED_CORPUS } from '../helpers.js';
import { BOT_USER } from './updates.js';

export interface Call {
  method: string;
  payload: Record<string, any>;
}

/** Chat member statuses getChatMember answers with, by user id (default: member). */
export const memberStatus = new Map<number, string>();

let calls: Call[] = [];

/** Installs the recording Bot API for the enclosing describe block. */
export function recordApiCalls(): void {
  const real = Telegram.prototype.callApi;
  before(() => {
    Telegram.prototype.callApi = (async (method: string, payload: Record<string, any>) => {
      calls.push({ method, payload });
      if (method === 'sendMessage')
        return { message_id: calls.length, date: 0, chat: { id: payload.chat_id, type: 'private' }, text: payload.text };
      if (method === 'getChatMember') return { status: memberStatus.get(payload.user_id) ?? 'member', user: { id: payload.user_id } };
      return true;
    }) as any;
  });
  after(() => {
    Telegram.prototype.callApi = real;
  });
}

/**
 * A bot over the seed corpus (or over `engine`); `send` feeds an update and returns the calls it
 * made.
 */
export function testBot({ engine = engineFor(SEED_CORPUS), ...options }: Partial<BotOptions> & { engine?: Engine } = {}) {
  const { bot, services } = createBot({
    token: '123456:TEST',
    engines: { current: engine },
    logger: silentLogger,
    botInfo: { ...BOT_USER, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true } as any,
    ...options,
  });
  calls = [];
  const send = async (update: Update) => {
    await bot.handleUpdate(update);
    return calls.splice(0);
  };
  return { bot, services, send };
}

/** Texts of the messages sent among some calls. */
export const texts = (cs: Call[]) =>
  cs.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => c.payload.text as string);

/** Buttons of a message call. */
export const buttons = (call: Call | undefined): Array<{ text: string; callback_data: string }> =>
  (call?.payload.reply_markup?.inline_keyboard ?? []).flat();
