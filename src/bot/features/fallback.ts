/** Last in line: unknown commands and messages that are not text (stickers, photos, voice…). */
import { Composer, type Context } from 'telegraf';

export const NOT_TEXT_HINT = '我只能读懂文字问题,请直接输入,比如:下期民生在线什么时候?';
export const UNKNOWN_COMMAND = '没有这个命令。/help 查看我能做什么,或者直接输入问题。';

export interface BotCommand {
  command: string;
  description: string;
}

/** The reply to an unknown command addressed to the bot in a group: the commands, and how else to ask. */
export function unknownCommandInGroup(commands: readonly BotCommand[]): string {
  const lines = commands.map((c) => `/${c.command} ${c.description}`);
  return ['没有这个命令。我能做的:', ...lines, '也可以提到我或回复我的消息来提问。'].join('\n');
}

/** The bot a command is addressed to (`/x@name_bot`), lower case; undefined for a command without one. */
function addressee(text: string): string | undefined {
  return /^\/\w+@(\w+)/.exec(text)?.[1]?.toLowerCase();
}

/** `commands`: what the bot offers, listed when a group asks for a command it does not have. */
export function fallbackFeature(commands: readonly BotCommand[] = []): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on('message', async (ctx) => {
    const text = 'text' in ctx.message ? ctx.message.text : undefined;
    if (ctx.chat.type !== 'private') {
      // in groups, stay quiet, except to a command addressed to this bot (a bare one may be another bot's)
      if (text && addressee(text) === ctx.botInfo.username.toLowerCase())
        await ctx.reply(unknownCommandInGroup(commands), { reply_parameters: { message_id: ctx.message.message_id } });
      return;
    }
    await ctx.reply(text?.startsWith('/') ? UNKNOWN_COMMAND : NOT_TEXT_HINT);
  });
  composer.on('callback_query', (ctx) => ctx.answerCbQuery('这个按钮已失效,请直接输入问题。'));
  return composer;
}
