/** /schedule: the next 民生在线 session. */
import { Composer, type Context } from 'telegraf';
import { replyText, type BotServices } from '../context.js';

export function scheduleFeature(services: BotServices): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command('schedule', (ctx) => replyText(ctx, services.engine.scheduleAnswer().reply));
  return composer;
}
