/**
 * The 民生在线 preview block that ends a page:
 *
 *     “民生在线”下期预告
 *     网谈时间:3月30日(周四)下午2:30—4:00
 *     网谈单位:市生态环境局
 *
 * becomes a Session with full date-times in Asia/Shanghai. The printed date has no year: it is the
 * page's year, or the one next to it whose calendar agrees with the printed weekday.
 */
import type { Session } from './types.js';
import { shanghaiInstant, shanghaiIso, shanghaiParts, weekdayNumber } from './shanghai-time.js';

/** The line that opens a preview block. */
export const PREVIEW_START = /民生在线.{0,6}预告|下期预告/;
/** A field line of a preview block: label and value. */
export const PREVIEW_FIELD = /^(网谈时间|网谈单位|访谈时间|访谈单位|时间|单位|嘉宾|做客单位)\s*[::]\s*(.+)$/;

const DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/;
const WEEKDAY = /(?:周|星期|礼拜)([一二三四五六日天])/;
const PERIOD = '(上午|下午|中午|晚上|早上|傍晚|凌晨)?';
const CLOCK = '(\\d{1,2})(?:[::点时](\\d{1,2})?分?)';
const TIME_RANGE = new RegExp(`${PERIOD}\\s*${CLOCK}(?:\\s*(?:[-—–~至到]+|－)\\s*${PERIOD}\\s*${CLOCK})?`);

function to24h(hour: number, period: string | undefined): number {
  if (!period) return hour;
  if (/下午|晚上|傍晚/.test(period) && hour < 12) return hour + 12;
  if (period === '中午' && hour < 11) return hour + 12;
  return hour;
}

export interface ParsedTime {
  year: number;
  month: number;
  day: number;
  weekday?: number;
  start: [number, number];
  end?: [number, number];
}

/** Reads "3月30日(周四)下午2:30—4:00" (year left to the caller); undefined when no date is found. */
export function parseSessionTime(text: string): (Omit<ParsedTime, 'year'> & { year?: number }) | undefined {
  const plain = text.normalize('NFKC');
  const date = DATE.exec(plain);
  if (!date) return undefined;
  const after = plain.slice(date.index + date[0].length);
  const weekday = WEEKDAY.exec(plain);
  const time = TIME_RANGE.exec(after.replace(WEEKDAY, ''));
  let start: [number, number] = [0, 0];
  let end: [number, number] | undefined;
  if (time) {
    const startHour = to24h(Number(time[2]), time[1]);
    start = [startHour, Number(time[3] ?? 0)];
    if (time[5] !== undefined) {
      let endHour = to24h(Number(time[5]), time[4] ?? time[1]);
      if (endHour < startHour) endHour += 12;
      end = [endHour, Number(time[6] ?? 0)];
    }
  }
  return {
    year: date[1] ? Number(date[1]) : undefined,
    month: Number(date[2]),
    day: Number(date[3]),
    weekday: weekday ? weekdayNumber(weekday[1]!) : undefined,
    start,
    end,
  };
}

/**
 * Chooses the year of a printed date: the page's year, the next or the previous one, whichever
 * agrees with the printed weekday. Returns the year and a warning when none agrees.
 */
export function resolveYear(
  month: number,
  day: number,
  weekday: number | undefined,
  pageYear: number,
  pageDate?: string,
): { year: number; warning?: string } {
  if (weekday === undefined) {
    // a date well before the page's own date is next year's (a December page announcing January)
    if (pageDate) {
      const [, pm] = pageDate.split('-').map(Number);
      if (pm !== undefined && month < pm - 6) return { year: pageYear + 1 };
    }
    return { year: pageYear };
  }
  for (const year of [pageYear, pageYear + 1, pageYear - 1]) {
    if (shanghaiParts(shanghaiInstant(year, month, day, 12)).weekday === weekday) return { year };
  }
  return { year: pageYear, warning: `the printed weekday does not match ${month}月${day}日 in ${pageYear - 1}–${pageYear + 1}` };
}

/**
 * Parses the field lines of a preview block into a session.
 * Returns a warning instead when the block has no usable date or unit.
 */
export function parsePreview(
  lines: string[],
  pageName: string,
  pageYear: number,
  pageDate?: string,
): { session?: Session; warning?: string } {
  let timeText = '';
  let unit = '';
  for (const line of lines) {
    const m = PREVIEW_FIELD.exec(line.normalize('NFKC').trim());
    if (!m) continue;
    if (/时间/.test(m[1]!)) timeText = m[2]!.trim();
    else unit = m[2]!.trim();
  }
  const raw = lines.join('\n');
  const time = timeText ? parseSessionTime(timeText) : undefined;
  if (!time)
    return {
      warning: `corpus: ${pageName}: 民生在线 preview without a readable date (${JSON.stringify(timeText || raw)}): no session announced from it`,
    };
  if (!unit) return { warning: `corpus: ${pageName}: 民生在线 preview without a guest unit: no session announced from it` };
  const resolved = time.year !== undefined ? { year: time.year } : resolveYear(time.month, time.day, time.weekday, pageYear, pageDate);
  const start = shanghaiInstant(resolved.year, time.month, time.day, ...time.start);
  const session: Session = {
    page: pageName,
    start: shanghaiIso(start),
    end: time.end ? shanghaiIso(shanghaiInstant(resolved.year, time.month, time.day, ...time.end)) : undefined,
    weekday: shanghaiParts(start).weekday,
    unit,
    raw,
  };
  return { session, warning: resolved.warning && `corpus: ${pageName}: 民生在线 preview: ${resolved.warning}; the page's year is taken` };
}
