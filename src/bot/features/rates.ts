/** /rates, and the button under an answer about deposit rates: the rates the pages print, side by side. */
import { Composer, Markup, type Context } from 'telegraf';
import { replyText, type BotServices } from '../context.js';

/** Callback data of the "all rates" button. */
export const RATES_BUTTON = 'rates';

/** The button that shows every rate, for under an answer about one. */
export const ratesKeyboard = () => Markup.inlineKeyboard([[Markup.button.callback('查看全部存款利率', RATES_BUTTON)]]);

export function ratesFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command('rates', (ctx) => replyText(ctx, services.engine.ratesTable()));
  composer.action(RATES_BUTTON, async (ctx) => {
    await ctx.answerCbQuery();
    await replyText(ctx, services.engine.ratesTable());
  });
  return composer;
}
