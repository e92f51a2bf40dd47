// Calendar words for the message list: "Today", "Yesterday", then a date in the reader's locale.
// Days are the reader's local days (or `timeZone`, which tests pin), never UTC days.

export interface DayOptions {
  /** BCP 47 locale; undefined = the browser's. */
  locale?: string;
  /** IANA time zone; undefined = the browser's. */
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(options: DayOptions, format: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([options.locale ?? "", options.timeZone ?? "", format]);
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(options.locale, { ...format, timeZone: options.timeZone });
    formatters.set(key, found);
  }
  return found;
}

/** Days since 1970-01-01 of the calendar day `date` falls on in the time zone. */
export function localDayNumber(date: Date, options: DayOptions = {}): number {
  const parts = formatter(
    { timeZone: options.timeZone },
    { year: "numeric", month: "numeric", day: "numeric", calendar: "gregory" },
  ).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part("year"), part("month") - 1, part("day")) / 86_400_000);
}

/** "Today", "Yesterday", or the date in the locale (with the year only when it is not this year). */
export function dayLabel(date: Date, now: Date, options: DayOptions = {}): string {
  const days = localDayNumber(now, options) - localDayNumber(date, options);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  const sameYear =
    formatter(options, { year: "numeric" }).format(date) ===
    formatter(options, { year: "numeric" }).format(now);
  return formatter(options, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(date);
}

/** The time shown next to a message ("14:05" or "2:05 PM", as the locale writes it). */
export function shortTime(date: Date, options: DayOptions = {}): string {
  return formatter(options, { hour: "numeric", minute: "2-digit" }).format(date);
}

/** The full date and time, for the time's title. */
export function fullDateTime(date: Date, options: DayOptions = {}): string {
  return formatter(options, { dateStyle: "full", timeStyle: "short" }).format(date);
}
