/**
 * Cold start: process start → engine ready → first answer, as `npm run ask` and the bot do it.
 * With `--bot`, the Telegram layer is built too (for the memory figure). Prints ms and RSS.
 */
const corpusDir = process.argv[2];
const withBot = process.argv.includes('--bot');
const { createEngine } = await import('../../src/core/engine.js');
const engine = createEngine({ corpusDir: corpusDir! });
const answer = await engine.ask('工行个人养老金储蓄5年期利率是多少?');
const ms = performance.now();
if (withBot) {
  const { createBot } = await import('../../src/bot/create-bot.js');
  const { silentLogger } = await import('../../src/logger.js');
  createBot({ token: '1:x', engines: { current: engine }, logger: silentLogger });
}
process.stdout.write(`${JSON.stringify({ ms, rss: process.memoryUsage().rss, answered: answer.answered })}\n`);
process.exit(0);
