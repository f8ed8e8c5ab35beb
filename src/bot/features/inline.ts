/** Inline mode: "@bot 养老金" in any chat offers answers to send there. */
import { Composer, type Context } from 'telegraf';
import type { InlineQueryResult } from 'telegraf/types';
import { trimTo } from '../../html.js';
import { toHtmlMessages } from '../format.js';
import type { BotServices } from '../context.js';
import type { Answer } from '../../core/engine.js';

/** Telegram accepts at most 50 results an answer. */
export const MAX_INLINE_RESULTS = 50;

function result(a: Answer, id: string, title: string): InlineQueryResult {
  return {
    type: 'article',
    id,
    title: trimTo(title, 64),
    description: trimTo(a.reply.replace(/\s+/g, ' '), 120),
    input_message_content: {
      message_text: toHtmlMessages(a.reply, undefined, a.highlight)[0]!,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
  };
}

export function inlineFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const { engine } = services;
    let results: InlineQueryResult[];
    if (!query) {
      const schedule = engine.scheduleAnswer();
      results = schedule.answered ? [result(schedule, 'schedule', '下期“民生在线”')] : [];
    } else {
      results = (await engine.answers(query, MAX_INLINE_RESULTS))
        .filter((a) => a.answered)
        .map((a, i) => result(a, `a${i}`, a.sources[0]?.title ?? trimTo(query, 64)));
    }
    await ctx.answerInlineQuery(results.slice(0, MAX_INLINE_RESULTS), { cache_time: 300, is_personal: false });
  });
  return composer;
}
