// A message time as chat lists show it: the time today, the weekday within the last week, the
// date otherwise (with the year only when it is not this year), in the person's locale.

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function formatShortTime(date: Date, now: Date = new Date(), locale?: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  const options: Intl.DateTimeFormatOptions =
    days === 0
      ? { hour: "numeric", minute: "2-digit" }
      : days > 0 && days < 7
        ? { weekday: "short" }
        : date.getFullYear() === now.getFullYear()
          ? { day: "numeric", month: "short" }
          : { day: "numeric", month: "short", year: "numeric" };
  return new Intl.DateTimeFormat(locale, options).format(date);
}
