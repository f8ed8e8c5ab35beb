/** Cold-start baseline: a process that only loads jieba's dictionaries. Prints ms since process start and RSS. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jieba = require('nodejieba') as { load(): void; cut(s: string): string[] };
jieba.load();
jieba.cut('青岛');
process.stdout.write(`${JSON.stringify({ ms: performance.now(), rss: process.memoryUsage().rss })}\n`);
