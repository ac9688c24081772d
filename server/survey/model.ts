// One model of a survey: what Spiegel makes of a SurveyJS definition, built on survey-core.
// The server validation (responses/), the prepared validator, the results (results/) and
// the CSV columns and codebook (csv/) all read a survey through this module, so that they
// agree on which question types exist, which are stored, what kind of answer each gives and
// which answers are "missing" (refused, don't know). Before this module each of them worked
// that out on its own and they disagreed.
import { Survey } from './survey-core';

/** A survey-core question; its properties differ per type, hence the open record. */
export type Question = InstanceType<typeof Survey.Question> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type SurveyModel = InstanceType<typeof Survey.Model>;
export type Json = Record<string, unknown>;

/**
 * What an answer to a question is, for results and export:
 * single: one value out of listed ones; multi: several; matrix: one value per row;
 * text: free text (also multiple text items); number: a number typed in; date: a day;
 * ranking: an order of the choices; table: a grid of cells (matrixdropdown, matrixdynamic,
 * paneldynamic), stored as cells but shown as its open cells only.
 */
export type QuestionKind = 'single' | 'multi' | 'matrix' | 'text' | 'number' | 'date' | 'ranking' | 'table';

interface TypeSupport {
  /** null: shown only, nothing answered (html, image, panel) or not stored (expression). */
  kind: QuestionKind | null;
  /**
   * false: its answer has rows, items or panels (an object or a list of objects), which a
   * cell of a dynamic panel cannot hold: a cell is one value or a list of values, in the
   * stored answers, the submission check and the export's `q.N.question` columns alike.
   */
  inCell?: false;
}

/**
 * Every question or element type Spiegel accepts in an instrument. Looked up by a type the
 * instrument's author writes: a Map, so that `constructor` is no type.
 */
const SUPPORTED_TYPES = new Map<string, TypeSupport>([
  ['radiogroup', { kind: 'single' }],
  ['dropdown', { kind: 'single' }],
  ['boolean', { kind: 'single' }],
  ['rating', { kind: 'single' }],
  ['imagepicker', { kind: 'single' }],
  ['checkbox', { kind: 'multi' }],
  ['tagbox', { kind: 'multi' }],
  ['ranking', { kind: 'ranking' }],
  ['matrix', { kind: 'matrix', inCell: false }],
  ['matrixdropdown', { kind: 'table', inCell: false }],
  ['matrixdynamic', { kind: 'table', inCell: false }],
  ['paneldynamic', { kind: 'table', inCell: false }],
  ['comment', { kind: 'text' }],
  ['text', { kind: 'text' }],
  ['multipletext', { kind: 'text', inCell: false }],
  ['expression', { kind: null }],
  ['html', { kind: null }],
  ['image', { kind: null }],
  ['panel', { kind: null }],
]);

/** Types refused with the reason, in Dutch, as the refusal message quotes it. */
export const REFUSED_TYPES = new Map<string, string>([
  ['file', 'een bestand kan een gezicht of een naam bevatten, en anonieme antwoorden mogen niemand herkenbaar maken'],
  ['signaturepad', 'een handtekening maakt de invuller herkenbaar'],
]);

/** The text input types Spiegel stores; others (email, tel, range, ...) are refused or stored as text, see definition-rules. */
export const TEXT_INPUT_TYPES = new Set(['text', 'number', 'date', 'email', 'tel', 'url']);

export function isSupportedType(type: string): boolean {
  return SUPPORTED_TYPES.has(type);
}

export function supportedTypes(): string[] {
  return [...SUPPORTED_TYPES.keys()];
}

/**
 * Whether a supported type may stand in a dynamic panel's template (directly or in a panel
 * there): not a table or multiple text, whose answer a panel's cell cannot hold. The loader
 * refuses the others there (definition-rules, rule `nestedTable`).
 */
export function fitsInDynamicPanel(type: string): boolean {
  const support = SUPPORTED_TYPES.get(type);
  return support !== undefined && support.inCell !== false;
}

/** The supported types that cannot stand in a dynamic panel, for the refusal's message. */
export function typesNotInDynamicPanel(): string[] {
  return supportedTypes().filter((type) => !fitsInDynamicPanel(type));
}

/** The kind of answer a question gives, or null when it gives none that is stored. */
export function kindOf(q: { getType(): string; inputType?: string; multiSelect?: boolean }): QuestionKind | null {
  const type = q.getType();
  const kind = SUPPORTED_TYPES.get(type)?.kind ?? null;
  if (type === 'text') {
    if (q.inputType === 'number' || q.inputType === 'range') return 'number';
    if (q.inputType === 'date') return 'date';
  }
  if (type === 'imagepicker' && q.multiSelect) return 'multi';
  return kind;
}

/** Whether answers to this question type are stored at all (an expression is computed, html only shown). */
export function isStored(q: { getType(): string; inputType?: string; multiSelect?: boolean }): boolean {
  return kindOf(q) !== null;
}

/**
 * The type under which answers are stored and read back (long format, results, export):
 * the SurveyJS type, except that a text question with a number, range or date input is
 * stored as `number` or `date`, and a multiple-choice image picker as `checkbox`.
 */
export function storedTypeOf(q: { getType(): string; inputType?: string; multiSelect?: boolean }): string {
  const kind = kindOf(q);
  if (q.getType() === 'text' && (kind === 'number' || kind === 'date')) return kind;
  if (q.getType() === 'imagepicker' && kind === 'multi') return 'checkbox';
  return q.getType();
}

// ---- typed items and cells -----------------------------------------------------------------

/** What a multiple-text item, a table column or a panel question says of its input, survey-core object or plain JSON. */
interface TypedInput {
  inputType?: unknown;
  validators?: unknown;
  getType?: () => string;
  type?: unknown;
  cellType?: unknown;
  templateQuestion?: TypedInput;
}

const validatorTypes = (input: TypedInput): string[] => (Array.isArray(input.validators)
  ? input.validators.map((v: { getType?: () => string; type?: unknown }) => (typeof v?.getType === 'function' ? v.getType() : `${String(v?.type)}validator`))
  : []);

/**
 * A multiple-text item (or a text cell) that holds a number: typed as one (`inputType:
 * "number"`), or a text with a numeric validator, as SurveyJS's own examples write it. The
 * server stores the number (numberOf), so the export, the codebook and the scripts can treat
 * it as the number question it is.
 */
export function isNumberInput(input: TypedInput): boolean {
  if (input.templateQuestion) return isNumberInput(input.templateQuestion);
  return input.inputType === 'number' || validatorTypes(input).includes('numericvalidator');
}

/** A multiple-text item, a table column or a panel question that asks for a day (`inputType: "date"`). */
export function isDateInput(input: TypedInput): boolean {
  if (input.templateQuestion) return isDateInput(input.templateQuestion);
  const type = typeof input.getType === 'function' ? input.getType() : input.cellType ?? input.type ?? 'text';
  return input.inputType === 'date' && (type === 'text' || type === 'multipletextitem');
}

/**
 * A value typed into a number item as survey-core's numeric validator reads it: a number,
 * or a text such as "51,5" (a decimal comma) read as 51.5; NaN when it is none.
 */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return Survey.Helpers.getNumber(value) as number;
}

/** A survey-core model of a definition in Dutch (the language the results and the export are written in). */
export function surveyModel(definition: Json, locale = 'nl'): SurveyModel {
  const model = new Survey.Model(definition);
  model.locale = locale;
  return model;
}

/**
 * The questions of a model in the order a respondent meets them. `nested`: also the items
 * survey-core reports as questions of their own (the fields of a multiple-text question).
 */
export function questionsOf(model: SurveyModel, { nested = false }: { nested?: boolean } = {}): Question[] {
  return model.getAllQuestions(false, false, nested) as Question[];
}

/** The question's title as respondents see it in Dutch, or its name. */
export const titleOf = (q: Question): string => String(q.title ?? q.name);

// ---- languages ----------------------------------------------------------------------------

/**
 * The languages a definition has texts in, among those Spiegel's respondent page speaks
 * (`nl`, `en`): its `locale` (SurveyJS's default is English), and every language of a
 * `{default, nl, en}` text. Dutch first when it is there.
 */
export function languagesOf(definition: Json, spoken: ReadonlySet<string> = new Set(['nl', 'en'])): string[] {
  const base = typeof definition.locale === 'string' && definition.locale !== '' ? definition.locale : 'en';
  const found = new Set<string>([base]);
  const pending: unknown[] = [definition];
  let visited = 0;
  while (pending.length > 0 && visited++ < 100_000) {
    const node = pending.pop();
    if (Array.isArray(node)) { pending.push(...node); continue; }
    if (!node || typeof node !== 'object') continue;
    const entries = Object.entries(node as Json);
    // A localised text: only strings, and a `default` key or language codes.
    if (entries.length > 0 && entries.every(([, v]) => typeof v === 'string') && entries.some(([k]) => k === 'default' || spoken.has(k))) {
      for (const [k] of entries) found.add(k === 'default' ? base : k);
      continue;
    }
    for (const [, v] of entries) if (v && typeof v === 'object') pending.push(v);
  }
  return [...spoken].filter((language) => found.has(language));
}

// ---- missing values ----------------------------------------------------------------------

/** The values survey-core gives its special items "None", "Refuse to answer" and "Don't know". */
export const SPECIAL_VALUES = { none: 'none', refused: 'refused', dontKnow: 'dontknow' } as const;

/** Special values that may not be ticked together with another choice. */
export const EXCLUSIVE_VALUES: ReadonlySet<string> = new Set(Object.values(SPECIAL_VALUES));

/** The non-substantive answers every instrument has, whatever its meta says. */
export const DEFAULT_MISSING_VALUES: readonly string[] = [SPECIAL_VALUES.refused, SPECIAL_VALUES.dontKnow];

/**
 * The answers that are no answer to the item (meta.missingValues, default "refused" and
 * "dontknow"): counted and shown, but left out of tests, means and charts of substance.
 */
export function missingValuesOf(meta: Json | undefined): Set<string> {
  const listed = meta?.missingValues;
  return new Set(Array.isArray(listed) ? listed.map(String) : DEFAULT_MISSING_VALUES);
}

/** Whether a value is substantive: no missing value, and not "none of these". */
export function isSubstantive(value: unknown, missing: ReadonlySet<string> = new Set(DEFAULT_MISSING_VALUES)): boolean {
  const key = String(value);
  return key !== SPECIAL_VALUES.none && !missing.has(key);
}

// ---- state of a question in a filled model -------------------------------------------------

/** Whether a question takes a `<name>-Comment` value (a comment or "other" text). Reads a survey-core question. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function acceptsComment(q: Record<string, any>): boolean {
  return Boolean(q.hasComment || q.hasOther || q.showOtherItem || q.showCommentArea);
}

/** Whether a survey-core question is visible: itself, its panels and its page. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isVisible(q: Record<string, any>): boolean {
  return q.isVisible && q.isParentVisible !== false && (q.page ? q.page.isVisible : true);
}

// ---- missing values as numeric codes ---------------------------------------------------------
//
// Numeric codes for the missing-value answers of an instrument, for an export that SPSS, R and
// pandas read as numbers (`?missing=codes`): a 0-4 scale with "weet ik niet" stays a numeric
// column. Negative codes, as many Dutch and German survey files use them (-1 weet niet, -2 wil
// niet zeggen), rather than 97/98/99: those collide with a scale that runs past 96 and look like
// real values to anyone who forgets to declare them. One code per missing value for the whole
// instrument, so a code means the same in every column; a value blanked for k-anonymity has a
// code of its own. All codes lie below every numeric choice value of the instrument, so
// `MISSING VALUES x (LOWEST THRU c)` in SPSS catches them all and nothing else.

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
const KNOWN_CODES: ReadonlyMap<string, number> = new Map([[SPECIAL_VALUES.dontKnow, -1], [SPECIAL_VALUES.refused, -2]]);
const SUPPRESSED_CODE = -9;

/**
 * The codes of an instrument's missing values (missingValuesOf), all below every value in
 * `values` that is a number (the choice values the file can hold).
 */
export function missingCodesOf(meta: Json | undefined, values: Iterable<unknown>): MissingCodes {
  let lowest = 0;
  for (const value of values) if (typeof value === 'number' && value < lowest) lowest = value;
  const shift = Math.floor(lowest); // 0 for the usual scales
  const codes: MissingCode[] = [];
  let next = -3;
  for (const value of missingValuesOf(meta)) {
    const base = KNOWN_CODES.get(value) ?? next--;
    codes.push({ value, code: base + shift });
  }
  const suppressed = Math.min(SUPPRESSED_CODE, next) + shift;
  const byValue = new Map(codes.map((c) => [c.value, c.code]));
  return {
    codes,
    suppressed,
    highest: Math.max(-1 + shift, ...codes.map((c) => c.code)),
    codeOf: (value) => (value === undefined || value === null ? undefined : byValue.get(String(value))),
  };
}

// ---- tables: matrix dropdown, dynamic matrix, dynamic panel ---------------------------------

/** The most rows of a dynamic matrix or panels of a dynamic panel a submission may hold. */
export const MAX_DYNAMIC_ROWS = 100;

/** The rows (panels) a dynamic matrix (panel) may have: its own maximum, at most MAX_DYNAMIC_ROWS. */
export function dynamicRowLimit(q: { getType(): string; maxRowCount?: unknown; maxPanelCount?: unknown }): number {
  const own = Number(q.getType() === 'matrixdynamic' ? q.maxRowCount : q.maxPanelCount);
  return Math.min(MAX_DYNAMIC_ROWS, Number.isFinite(own) && own > 0 ? Math.floor(own) : MAX_DYNAMIC_ROWS);
}

/**
 * The questions a cell of a table is an answer to: per column of a matrix dropdown or dynamic
 * matrix a survey-core question of the cell's type (a column of type "default" takes the
 * matrix's cell type, and a choice column without choices the matrix's choices), per question of a
 * dynamic panel's template that question, also in a panel of the template (never a table:
 * fitsInDynamicPanel). `choices` is what the cell offers.
 */
export function cellQuestionsOf(q: Question): Array<{ name: string; question: Question; choices: Array<{ value: unknown; text: string }> | null; visibleIf: string | null }> {
  const type = q.getType();
  if (type === 'matrixdropdown' || type === 'matrixdynamic') {
    return (q.columns as Question[]).map((column) => {
      const cell = column.templateQuestion as Question;
      const own = (cell.choices ?? []) as Array<{ value: unknown; text: string }>;
      // As survey-core's rows: only a cell that offers choices takes the matrix's (a rating or boolean cell does not).
      const inherited = own.length === 0 && Array.isArray(q.choices) && q.choices.length > 0 && Survey.Serializer.isDescendantOf(cell.getType(), 'selectbase');
      return { name: String(column.name), question: cell, choices: inherited ? q.choices : null, visibleIf: column.visibleIf || null };
    });
  }
  if (type === 'paneldynamic') {
    return ((q.template?.questions ?? []) as Question[]).map((inner) => ({
      name: inner.getValueName(), question: inner, choices: null, visibleIf: inner.visibleIf || null,
    }));
  }
  return [];
}
