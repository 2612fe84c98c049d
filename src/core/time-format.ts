const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * The formatted `yyyy-MM-dd HH:mm:ss.` of the last two seconds formatted: records come in bursts,
 * and a record often holds one other date besides its own time.
 */
const seconds = [Number.NaN, Number.NaN];
const prefixes = ['', ''];
let older = 0;

/**
 * ThinkingData's time format, `yyyy-MM-dd HH:mm:ss.SSS` in the runtime's local time zone
 * (Workers run in UTC, so there it is UTC).
 * @example formatTime(new Date(2026, 0, 2, 3, 4, 5, 6)) // '2026-01-02 03:04:05.006'
 */
export function formatTime(date: Date): string {
  const time = date.getTime();
  const second = Math.floor(time / 1000);
  let slot = seconds[0] === second ? 0 : seconds[1] === second ? 1 : -1;
  if (slot === -1) {
    // Offsets change only on whole seconds, so one second always formats to one prefix.
    slot = older;
    older = 1 - older;
    seconds[slot] = second;
    prefixes[slot] =
      `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.`;
  }
  const ms = time - second * 1000;
  return prefixes[slot] + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms;
}

/** True for a `Date` that holds a real time (an invalid `Date` is not one). */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
