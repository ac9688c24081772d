// Numeric codes for the missing-value answers of an instrument (meta.missingValues, such as
// "dontknow" and "refused"), for an export that SPSS, R and pandas read as numbers
// (`?missing=codes`): a 0-4 scale with "weet ik niet" stays a numeric column.
//
// Negative codes, as many Dutch and German survey files use them (-1 weet niet, -2 wil niet
// zeggen), rather than 97/98/99: those collide with a scale that runs past 96 and look like
// real values to anyone who forgets to declare them. One code per missing value for the
// whole instrument, so a code means the same in every column; a value blanked for
// k-anonymity has a code of its own. All codes lie below every numeric choice value of the
// instrument, so `MISSING VALUES x (LOWEST THRU c)` in SPSS catches them all and nothing else.
import type { CsvColumn } from './columns';

export interface MissingCode {
  /** The choice value as the instrument writes it ("refused"). */
  value: string;
  code: number;
}

export interface MissingCodes {
  /** In the instrument's order of meta.missingValues. */
  codes: MissingCode[];
  /** The code of a background value blanked for k-anonymity. */
  suppressed: number;
  /** The highest code: every code is at or below it, every real numeric value above. */
  highest: number;
  codeOf(value: unknown): number | undefined;
}

/** The usual codes of SurveyJS's special items; other missing values follow below them. */
const KNOWN: ReadonlyMap<string, number> = new Map([['dontknow', -1], ['refused', -2]]);
const SUPPRESSED_OFFSET = -9;

export function missingCodes(meta: Record<string, unknown>, columns: CsvColumn[]): MissingCodes {
  const declared = Array.isArray(meta.missingValues) ? meta.missingValues.map(String) : [];
  // Below every numeric value a column can hold, so that no code is also a real answer.
  let lowest = 0;
  for (const column of columns) {
    for (const option of column.options) if (typeof option.value === 'number' && option.value < lowest) lowest = option.value;
  }
  const shift = Math.floor(lowest); // 0 for the usual scales
  const codes: MissingCode[] = [];
  let next = -3;
  for (const value of declared) {
    if (codes.some((c) => c.value === value)) continue;
    const base = KNOWN.get(value) ?? next--;
    codes.push({ value, code: base + shift });
  }
  const suppressed = Math.min(SUPPRESSED_OFFSET, next) + shift;
  const byValue = new Map(codes.map((c) => [c.value, c.code]));
  return {
    codes,
    suppressed,
    highest: Math.max(-1 + shift, ...codes.map((c) => c.code)),
    codeOf: (value) => (value === undefined || value === null ? undefined : byValue.get(String(value))),
  };
}
