/** Where the project's own data lives, wherever the process was started from (the code runs from build/src/core/). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The newspaper's pages and the lexicon (`corpus/lexicon/`) shipped with the project. */
export const DEFAULT_CORPUS_DIR = resolve(ROOT, 'corpus');
/** The answer models `npm run train` saves. */
export const DEFAULT_ANSWER_MODEL = resolve(ROOT, 'models/answer-model.json');
