// Responses per day on the wave page, or per week (pure). A day with fewer responses than
// the wave's minimum is a small group with a date on it: next to who was seen filling in
// the survey that day, and next to the results before and after, it narrows down whose
// answers they are. So once any day has fewer than the minimum, every count is per ISO week.

export type PerDay = Array<{ day: string; count: number }>;
export type PerWeek = Array<{ week: string; from: string; count: number }>;

export function perDayOrWeek(days: PerDay, minGroupSize: number): PerDay | PerWeek {
  if (days.every((d) => d.count >= minGroupSize)) return days;
  const weeks = new Map<string, { week: string; from: string; count: number }>();
  for (const { day, count } of days) {
    const { week, monday } = isoWeek(day);
    const entry = weeks.get(week) ?? { week, from: monday, count: 0 };
    entry.count += count;
    weeks.set(week, entry);
  }
  return [...weeks.values()].sort((a, b) => a.from.localeCompare(b.from));
}

/** ISO 8601 week of a calendar day ("2026-W48") and the Monday it starts on. */
export function isoWeek(day: string): { week: string; monday: string } {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = new Date(date.getTime() - weekday * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000); // the week belongs to its Thursday's year
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return { week: `${year}-W${String(week).padStart(2, '0')}`, monday: monday.toISOString().slice(0, 10) };
}
