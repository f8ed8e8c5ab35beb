/** Last in line: unknown commands and messages that are not text (stickers, photos, voice…). */
import { Composer, type Context } from 'telegraf';

export const NOT_TEXT_HINT = '我只能读懂文字问题,请直接输入,比如:下期民生在线什么时候?';
export const UNKNOWN_COMMAND = '没有这个命令。/help 查看我能做什么,或者直接输入问题。';

export function fallbackFeature(): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return; // in groups, stay quiet
    const text = 'text' in ctx.message ? ctx.message.text : undefined;
    await ctx.reply(text?.startsWith('/') ? UNKNOWN_COMMAND : NOT_TEXT_HINT);
  });
  composer.on('callback_query', (ctx) => ctx.answerCbQuery('这个按钮已失效,请直接输入问题。'));
  return composer;
}
