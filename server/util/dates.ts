// Days, not moments: respondents' records carry the day only (Europe/Amsterdam), never a time.
const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
});

/** YYYY-MM-DD of `now` in the Netherlands. */
export function dayInNetherlands(now: Date = new Date()): string {
  return dayFormat.format(now);
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
