/** Dates and times in Asia/Shanghai (UTC+8 all year: China has kept no daylight saving since 1991). */

const OFFSET_MS = 8 * 3600 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The instant of a wall-clock time in Shanghai. */
export function shanghaiInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** "2023-03-29" from its parts (as printed: the year in full). */
export function isoDay(year: number | string, month: number | string, day: number | string): string {
  return `${year}-${pad(Number(month))}-${pad(Number(day))}`;
}

/** ISO 8601 with the +08:00 offset. */
export function shanghaiIso(date: Date): string {
  const s = new Date(date.getTime() + OFFSET_MS);
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())}T${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}:00+08:00`;
}

/** Wall-clock parts in Shanghai; weekday 1 = Monday … 7 = Sunday. */
export function shanghaiParts(date: Date) {
  const s = new Date(date.getTime() + OFFSET_MS);
  const dow = s.getUTCDay();
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    weekday: dow === 0 ? 7 : dow,
  };
}

export const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** "一" … "日"/"天" → 1 … 7. */
export function weekdayNumber(char: string): number {
  const i = '一二三四五六日'.indexOf(char);
  return char === '天' ? 7 : i + 1;
}
