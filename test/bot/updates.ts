/** Real-shaped Telegram update objects for tests. */
import type { Update } from 'telegraf/types';

let nextUpdateId = 1000;
let nextMessageId = 1;
const now = () => Math.floor(Date.now() / 1000);

export const USER = { id: 42, is_bot: false, first_name: '小王', language_code: 'zh-hans' };
export const OTHER_USER = { id: 43, is_bot: false, first_name: '老李' };
export const BOT_USER = { id: 777, is_bot: true, first_name: '青岛新闻问答', username: 'qd_news_bot' };
export const PRIVATE = { id: USER.id, type: 'private' as const, first_name: USER.first_name };
export const GROUP = { id: -100123, type: 'supergroup' as const, title: '李沧居民群' };

/** Entities for a leading /command and any @mentions in the text. */
function entities(text: string) {
  const out: Array<{ type: 'bot_command' | 'mention'; offset: number; length: number }> = [];
  const cmd = /^\/[a-z_]+(@\w+)?/i.exec(text);
  if (cmd) out.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/@\w+/g)) {
    if (!(cmd && m.index === cmd[0].indexOf('@'))) out.push({ type: 'mention', offset: m.index!, length: m[0].length });
  }
  return out.length ? out : undefined;
}

export function textMessage(text: string, chat: typeof PRIVATE | typeof GROUP = PRIVATE, extra: object = {}) {
  return { message_id: nextMessageId++, date: now(), chat, from: USER, text, entities: entities(text), ...extra };
}

export function textUpdate(text: string, chat: typeof PRIVATE | typeof GROUP = PRIVATE, extra: object = {}): Update {
  return { update_id: nextUpdateId++, message: textMessage(text, chat, extra) } as Update;
}

export function replyToBotUpdate(text: string): Update {
  const original = { message_id: nextMessageId++, date: now(), chat: GROUP, from: BOT_USER, text: '之前的回答' };
  return textUpdate(text, GROUP, { reply_to_message: original });
}

export function stickerUpdate(chat: typeof PRIVATE | typeof GROUP = PRIVATE): Update {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: now(),
      chat,
      from: USER,
      sticker: {
        file_id: 'CAACAgIAAxk',
        file_unique_id: 'AgAD',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    },
  } as Update;
}

export function photoUpdate(caption?: string, chat: typeof PRIVATE | typeof GROUP = PRIVATE): Update {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: now(),
      chat,
      from: USER,
      photo: [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }],
      ...(caption === undefined ? {} : { caption, caption_entities: entities(caption) }),
    },
  } as Update;
}

export function voiceUpdate(): Update {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: now(),
      chat: PRIVATE,
      from: USER,
      voice: { file_id: 'v', file_unique_id: 'v', duration: 3 },
    },
  } as Update;
}

export function callbackUpdate(data: string, chat: typeof PRIVATE | typeof GROUP = PRIVATE, from: typeof USER = USER): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: String(nextUpdateId),
      from,
      chat_instance: 'ci',
      data,
      message: { message_id: nextMessageId++, date: now(), chat, from: BOT_USER, text: '建议的问题' },
    },
  } as Update;
}

export function inlineUpdate(query: string): Update {
  return { update_id: nextUpdateId++, inline_query: { id: String(nextUpdateId), from: USER, query, offset: '' } } as Update;
}

/** An edit of a text message: of `original` (a message update sent before) when given, else of a new one. */
export function editedUpdate(text: string, original?: Update, chat: typeof PRIVATE | typeof GROUP = PRIVATE): Update {
  const before = original && 'message' in original ? original.message : undefined;
  const msg = before
    ? { ...textMessage(text, before.chat as typeof chat), message_id: before.message_id, date: before.date }
    : textMessage(text, chat);
  return { update_id: nextUpdateId++, edited_message: { ...msg, edit_date: now() } } as Update;
}

/** The bot's own membership of `chat` changing from `from` to `to` (added, promoted, removed). */
export function myChatMemberUpdate(from: string, to: string, chat: object = GROUP): Update {
  const member = (status: string) => ({ status, user: BOT_USER, ...(status === 'administrator' ? { can_be_edited: false } : {}) });
  return {
    update_id: nextUpdateId++,
    my_chat_member: { chat, from: USER, date: now(), old_chat_member: member(from), new_chat_member: member(to) },
  } as Update;
}

export function channelPostUpdate(text: string): Update {
  const chat = { id: -100999, type: 'channel' as const, title: '青岛晚报' };
  return { update_id: nextUpdateId++, channel_post: { message_id: nextMessageId++, date: now(), chat, text } } as Update;
}
