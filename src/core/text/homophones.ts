/**
 * Homophones: words of the corpus by how they sound, so that a name typed with a wrong character
 * of the same sound ("刘桌毅" for "刘卓毅", "李仓" for "李沧") is read as the name the pages print.
 * Sounds come from pinyin-pro, character by character and without tones, so that a word sounds
 * the same wherever it stands.
 */
import { pinyin } from 'pinyin-pro';

const sounds = new Map<string, string>();

/** A Chinese character's sound without tone ("沧" → "cang"); the character itself for anything else. */
function soundOf(ch: string): string {
  let s = sounds.get(ch);
  if (s === undefined) {
    s = /[\u3400-\u9fff]/.test(ch) ? pinyin(ch, { toneType: 'none' }) : ch;
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
  private readonly bySound = new Map<string, string[]>();
  private readonly added = new Set<string>();

  /** Adds a word of the corpus (words outside 2–4 Chinese characters are ignored). */
  add(word: string): void {
    if (word.length < 2 || word.length > 4 || this.added.has(word)) return;
    this.added.add(word);
    if (!/^[\u3400-\u9fff]+$/.test(word)) return;
    const key = soundKey(word);
    const words = this.bySound.get(key);
    if (!words) this.bySound.set(key, [word]);
    else words.push(word);
  }

  /** The corpus words that sound like `word` and differ from it by one character at most. */
  like(word: string): string[] {
    const words = this.bySound.get(soundKey(word)) ?? [];
    return words.filter((w) => w !== word && differBy(w, word) <= 1);
  }
}

function differBy(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
