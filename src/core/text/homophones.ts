/**
 * Homophones: words of the corpus by how they sound, so that a name typed with a wrong character
 * of the same sound ("刘桌毅" for "刘卓毅", "李仓" for "李沧") is read as the name the pages print.
 * Sounds come from pinyin-pro, character by character and without tones, so that a word sounds
 * the same wherever it stands. pinyin-pro is loaded, and the words sounded, the first time a
 * question needs it: most questions never do, and the bot starts sooner without it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let pinyin: ((text: string, options: { toneType: 'none' }) => string) | undefined;
const sounds = new Map<string, string>();

/** A Chinese character's sound without tone ("沧" → "cang"); the character itself for anything else. */
function soundOf(ch: string): string {
  let s = sounds.get(ch);
  if (s === undefined) {
    pinyin ??= (require('pinyin-pro') as { pinyin: typeof pinyin }).pinyin;
    s = /[\u3400-\u9fff]/.test(ch) ? pinyin!(ch, { toneType: 'none' }) : ch;
    sounds.set(ch, s);
  }
  return s;
}

/** A word's sound: its characters' sounds joined by spaces. */
export function soundKey(word: string): string {
  let out = '';
  for (const ch of word) out += (out ? ' ' : '') + soundOf(ch);
  return out;
}

/** Words of two to four Chinese characters, by sound. */
export class Homophones {
  private readonly words = new Set<string>();
  private bySound: Map<string, string[]> | undefined;

  /** Adds a word of the corpus (words outside 2–4 Chinese characters are ignored). */
  add(word: string): void {
    if (word.length < 2 || word.length > 4 || this.words.has(word) || !/^[\u3400-\u9fff]+$/.test(word)) return;
    this.words.add(word);
    this.bySound = undefined;
  }

  /** The corpus words that sound like `word` and differ from it by one character at most. */
  like(word: string): string[] {
    if (!this.bySound) {
      this.bySound = new Map();
      for (const w of this.words) {
        const key = soundKey(w);
        const same = this.bySound.get(key);
        if (same) same.push(w);
        else this.bySound.set(key, [w]);
      }
    }
    const words = this.bySound.get(soundKey(word)) ?? [];
    return words.filter((w) => w !== word && differBy(w, word) <= 1);
  }
}

function differBy(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
