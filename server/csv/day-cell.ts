// A date cell of an imported file as a day. Spiegel keeps days, never times, so whatever
// time a form tool wrote after the date is dropped here and never stored.
import { isValidDay } from '../util/dates';

/**
 * Accepts 2024-03-01, 2024/03/01 and the Dutch 1-3-2024 or 01/03/2024 (day first, as
 * Google Forms and Excel write dates in the Netherlands), each with or without a time.
 */
export function dayFromCell(cell: string): string | null {
  const text = cell.trim();
  const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ T])/.exec(text);
  const dayFirst = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|[ T,])/.exec(text);
  const [year, month, day] = yearFirst
    ? [yearFirst[1], yearFirst[2], yearFirst[3]]
    : dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : [];
  if (!year) return null;
  const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  return isValidDay(iso) ? iso : null;
}
