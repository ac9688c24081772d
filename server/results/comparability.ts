// Which items can be compared between waves that used different versions of an instrument
// (pure). An item is comparable only when its question text (with the panel title it sits
// in), its type and its choices (values and texts, in order) are the same in every version,
// and for a matrix row also the row text. Anything else would compare different questions
// under one name. Routing (visibleIf) is not compared: who was asked may differ.
import { t } from '../i18n/messages';
import type { InstrumentModel, QuestionModel } from './instrument-model';
import { ItemSpec, itemSpecs, specContext, specKey } from './crosstabs';

export type NotComparableReason = 'not-in-every-version' | 'type-changed' | 'text-changed' | 'choices-changed';

export interface NotComparable {
  name: string;
  row?: string | number;
  choice?: string | number | boolean;
  title: string;
  /** The item it is part of (itemContext), else null. */
  context: string | null;
  reason: NotComparableReason;
  message: string;
}

export function comparableItems(models: readonly InstrumentModel[], skip: (spec: ItemSpec) => boolean): { specs: ItemSpec[]; notComparable: NotComparable[] } {
  const [first, ...others] = models;
  const specs: ItemSpec[] = [];
  const notComparable: NotComparable[] = [];
  const seen = new Set<string>();
  const judge = (spec: ItemSpec, reason: NotComparableReason | null) => {
    seen.add(specKey(spec));
    if (reason === null) specs.push(spec);
    else notComparable.push(describe(spec, reason));
  };
  for (const spec of itemSpecs(first, skip)) {
    judge(spec, others.map((model) => difference(spec, model.byName.get(spec.question.name))).find((r) => r !== null) ?? null);
  }
  // Items that only a later version has.
  for (const model of others) {
    for (const spec of itemSpecs(model, skip)) if (!seen.has(specKey(spec))) judge(spec, 'not-in-every-version');
  }
  return { specs, notComparable };
}

function difference(spec: ItemSpec, other: QuestionModel | undefined): NotComparableReason | null {
  const q = spec.question;
  if (!other) return 'not-in-every-version';
  if (other.type !== q.type) return 'type-changed';
  if (other.title !== q.title || other.panel !== q.panel) return 'text-changed';
  if (spec.row) {
    const row = [...other.rows, ...other.numberItems].find((r) => r.key === spec.row!.key);
    if (!row) return 'not-in-every-version';
    if (row.label !== spec.row.label) return 'text-changed';
  }
  const choices = (m: QuestionModel) => JSON.stringify(m.choices.map((c) => [c.key, c.label]));
  return choices(other) === choices(q) ? null : 'choices-changed';
}

function describe(spec: ItemSpec, reason: NotComparableReason): NotComparable {
  return {
    name: spec.question.name,
    ...(spec.row ? { row: spec.row.value } : {}),
    ...(spec.choice ? { choice: spec.choice.value } : {}),
    title: spec.row?.label ?? spec.choice?.label ?? spec.question.title,
    context: specContext(spec),
    reason,
    message: t(`results.notComparable.${reason}`),
  };
}
