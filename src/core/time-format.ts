const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * ThinkingData's time format, `yyyy-MM-dd HH:mm:ss.SSS` in the runtime's local time zone
 * (Workers run in UTC, so there it is UTC).
 * @example formatTime(new Date(2026, 0, 2, 3, 4, 5, 6)) // '2026-01-02 03:04:05.006'
 */
export function formatTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

/** True for a `Date` that holds a real time (an invalid `Date` is not one). */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
