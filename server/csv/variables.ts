// What a statistics package needs to know of each column of the export: its measurement
// level, whether it is numeric, its values with labels, which of them are missing values
// (and their codes in `?missing=codes`), and the routing that shows the question. The
// codebook (CSV and JSON), the SPSS syntax and the R script are all written from this one
// list, which is built from the export's own column list, so all four describe exactly the
// columns of the file they go with.
import { MissingCodes, missingValuesOf, Question, questionsOf, surveyModel } from '../survey/model';
import type { CsvColumn, Scalar } from './columns';
import { isBlanked, SUPPRESSED, SUPPRESSED_LABEL } from './export-rows';
import { declaredMeasurementLevel, MeasurementLevel } from '../instruments/measurement-level';


export interface VariableValue {
  /** The value as the file holds it: the code for a missing value when the file has codes. */
  value: Scalar;
  label: string;
  /** A missing value (meta.missingValues), or the mark of a value blanked for k-anonymity. */
  missing: boolean;
}

export interface Variable {
  column: CsvColumn;
  level: MeasurementLevel;
  /** Every cell is a number or empty. */
  numeric: boolean;
  values: VariableValue[];
  /** The question's routing as a reader writes it ("b_role = 'student'"), null when always shown. */
  shownIf: string | null;
  /** Set when the file holds blanks for k-anonymity in this column. */
  suppressible: boolean;
}


/**
 * The measurement level of a column: the instrument's own word for its question
 * (`meta.levels`, {question: level}) when it has one, else a default by kind: a choice
 * nominal (the safe reading: an ordinal claim must come from the instrument), a typed number
 * and the row number scale. Kept in one function so one rule can replace it.
 */
export function measurementLevel(column: CsvColumn, meta: Record<string, unknown>): MeasurementLevel {
  // One reading of meta.levels for results, codebook and scripts (instruments/measurement-level.ts);
  // undeclared numbers are scale, ranks ordinal, everything else nominal. A table's declared
  // level is its choice cells' (its text, number and rank cells keep their own).
  const declared = column.cell && column.kind !== 'choice' ? null : declaredMeasurementLevel({ meta }, column.question);
  // A day is a point on a scale (an SPSS date); year and month alone, a string, are ordered categories.
  if (column.kind === 'date') return column.month ? 'ordinal' : 'scale';
  return declared ?? (column.kind === 'number' || column.kind === 'sequence' ? 'scale' : column.kind === 'rank' ? 'ordinal' : 'nominal');
}

export interface VariableOptions {
  /** The file writes missing values as codes (`?missing=codes`). */
  codes: MissingCodes | null;
  /** Questions (and date columns, by columnKey) whose values may be blanked for k-anonymity in this file. */
  suppressible: ReadonlySet<string>;
}

export function describeVariables(
  columns: CsvColumn[], instrument: { definition: Record<string, unknown>; meta: Record<string, unknown> }, options: VariableOptions,
): Variable[] {
  const routing = routingOf(instrument.definition);
  const missing = missingValuesOf(instrument.meta);
  const { codes } = options;
  return columns.map((column) => {
    const suppressible = isBlanked(column, options.suppressible);
    const values: VariableValue[] = column.options.map((o) => {
      const isMissing = column.kind !== 'flag' && missing.has(String(o.value));
      const code = isMissing ? codes?.codeOf(o.value) : undefined;
      return { value: code ?? o.value, label: o.label, missing: isMissing };
    });
    if (column.kind === 'flag' && codes) {
      // A multi-select question answered with missing values only: its choices are not "not ticked" but missing.
      for (const c of codes.codes) {
        const label = siblingLabel(columns, column.question, c.value);
        if (label !== null) values.push({ value: c.code, label, missing: true });
      }
    }
    if (suppressible) values.push({ value: codes ? codes.suppressed : SUPPRESSED, label: SUPPRESSED_LABEL, missing: true });
    const numericKinds = column.kind === 'sequence' || column.kind === 'number' || column.kind === 'flag' || column.kind === 'rank';
    const numeric = numericKinds || ((column.kind === 'choice' || column.kind === 'matrixRow')
      && values.length > 0 && values.every((v) => typeof v.value === 'number'));
    const routes = [...(routing.get(column.question) ?? [])];
    const row = column.row ?? column.cell?.[0];
    if (row !== undefined) routes.push(...(routing.get(`${column.question}\u0000${row}`) ?? []));
    if (column.cellVisibleIf) routes.push(readable(column.cellVisibleIf));
    return {
      column, level: measurementLevel(column, instrument.meta), numeric, values,
      shownIf: routes.length > 0 ? routes.join(' en ') : null, suppressible,
    };
  });
}

/** The label of a missing-value choice of a multi-select question, when the question offers it. */
function siblingLabel(columns: CsvColumn[], question: string, value: string): string | null {
  const sibling = columns.find((c) => c.kind === 'flag' && c.question === question && String(c.choice?.value) === value);
  return sibling ? sibling.choice!.label : null;
}

/**
 * Per question (and per `question\0row` for a row of a matrix or matrix dropdown), the visibleIf conditions that
 * decide whether a respondent sees it: its page's, its panels' and its own, outermost first,
 * written without SurveyJS's braces.
 */
export function routingOf(definition: Record<string, unknown>): ReadonlyMap<string, readonly string[]> {
  // Once per definition, as the columns (columns.ts, columnsOnce): it builds a SurveyModel.
  let routing = routingByDefinition.get(definition);
  if (!routing) routingByDefinition.set(definition, (routing = routingOfModel(definition)));
  return routing;
}

const routingByDefinition = new WeakMap<object, ReadonlyMap<string, readonly string[]>>();

function routingOfModel(definition: Record<string, unknown>): Map<string, string[]> {
  const routing = new Map<string, string[]>();
  for (const q of questionsOf(surveyModel(definition))) {
    const conditions: string[] = [];
    for (let el: Question | undefined = q; el; el = el.parent as unknown as Question | undefined) {
      if (typeof el.visibleIf === 'string' && el.visibleIf.trim() !== '') conditions.unshift(readable(el.visibleIf));
    }
    const name = q.getValueName();
    routing.set(name, conditions);
    if (q.getType() === 'matrix' || q.getType() === 'matrixdropdown') {
      for (const row of (q.rows ?? []) as Array<{ value: unknown; visibleIf?: string }>) {
        if (row.visibleIf) routing.set(`${name}\u0000${String(row.value)}`, [readable(row.visibleIf)]);
      }
    }
  }
  return routing;
}

/** "{b_role} = 'student'" as "b_role = 'student'": the braces are SurveyJS's, not the reader's. */
const readable = (expression: string): string => expression.replace(/[{}]/g, '').replace(/\s+/g, ' ').trim();
