// The Weerman organisatiescan summary (pure): per item the current ("Wat is er?") and the
// desired ("Wat is wenselijk?") state on the 0-4 scale, the gap desired − current, and the
// flags of the design (weerman-valente.md §4.1): priority (mean gap ≥ 2), disagreement
// (IQR of the current state ≥ 2, or max − min ≥ 3), blind spot ("weet ik niet" for the
// current state by 30% or more of those who answered it) and a negative gap. "Weet ik niet"
// counts in the answers but not in means, medians or gaps. A measure answered by fewer
// respondents than the minimum group size shows no numbers.
import { Descriptives, describeCounts } from './descriptives';
import type { InstrumentModel } from './instrument-model';
import type { Counts } from './tally-index';
import { ItemGuard, itemGuard } from './disclosure';

export const WEERMAN_THRESHOLDS = { priorityGap: 2, disagreementIqr: 2, disagreementRange: 3, blindSpotShare: 0.3 };

export interface WeermanView {
  scale: number[];
  dontKnow: string;
  items: WeermanItem[];
  sources: WeermanItem[];
  /** The "Welke vragen?" are questions for the group's own agenda and the form says so (summary.ts, agendaMinimum). */
  agendaForGroup?: boolean;
}

interface WeermanItem {
  id: string;
  number?: number;
  title: string;
  current: string;
  desired: string;
  questions: string;
}

export interface Measure extends Partial<Descriptives> {
  name: string;
  /** null when suppressed: how many answered is itself the small number the minimum protects. */
  answered: number | null;
  suppressed: boolean;
  dontKnow?: number;
  dontKnowShare?: number;
  distribution?: Array<{ value: number | string; label: string; count: number }>;
}

export interface WeermanItemSummary {
  id: string;
  number: number | null;
  title: string;
  current: Measure;
  desired: Measure;
  gap: Omit<Partial<Descriptives>, 'n'> & {
    n: number | null; suppressed: boolean; distribution?: Array<{ gap: number; count: number }>;
    /** How many gave a desired state below their current one (the note asks to discuss these). */
    below?: number;
  };
  flags: { priority: boolean; disagreement: boolean; blindSpot: boolean; negativeGap: boolean } | null;
  /** "Welke vragen?" in random order; null when the group is too small to show free text. */
  questions: string[] | null;
  questionsName: string;
}

export function weermanSummary(
  view: WeermanView, model: InstrumentModel, counts: Counts, gaps: ReadonlyMap<string, ReadonlyMap<number, number>>,
  texts: ReadonlyMap<string, string[]> | null, minGroupSize: number, shown: ItemGuard = itemGuard(minGroupSize),
) {
  const summarise = (item: WeermanItem): WeermanItemSummary => {
    const current = measure(item.current, view, model, counts, shown);
    const desired = measure(item.desired, view, model, counts, shown);
    const gapCounts = gaps.get(item.current) ?? new Map<number, number>();
    const gapStats = describeCounts(gapCounts);
    // A gap needs both answers: it is not shown where either measure is hidden.
    const gapSuppressed = !gapStats || gapStats.n < minGroupSize || current.suppressed || desired.suppressed;
    const gap = gapSuppressed ? { n: null, suppressed: true } : {
      ...gapStats, suppressed: false,
      distribution: [...gapCounts].sort((a, b) => a[0] - b[0]).map(([g, count]) => ({ gap: g, count })),
      below: [...gapCounts].filter(([g]) => g < 0).reduce((k, [, count]) => k + count, 0),
    };
    const flags = current.suppressed ? null : {
      priority: !gapSuppressed && gapStats!.mean >= WEERMAN_THRESHOLDS.priorityGap,
      disagreement: current.iqr !== undefined && (current.iqr >= WEERMAN_THRESHOLDS.disagreementIqr
        || current.max! - current.min! >= WEERMAN_THRESHOLDS.disagreementRange),
      blindSpot: (current.dontKnowShare ?? 0) >= WEERMAN_THRESHOLDS.blindSpotShare,
      negativeGap: !gapSuppressed && gapStats!.mean < 0,
    };
    return {
      id: item.id, number: item.number ?? null, title: item.title, current, desired, gap, flags,
      questions: texts ? texts.get(item.questions) ?? [] : null, questionsName: item.questions,
    };
  };
  const items = view.items.map(summarise);
  const sources = view.sources.map(summarise);
  return { thresholds: WEERMAN_THRESHOLDS, measure: GAP_MEASURE, items, sources, ranking: gapRanking(items), sourcesRanking: gapRanking(sources) };
}

/**
 * The one measure the gap chart, the ranking table and the session view all sort by: the
 * mean of each respondent's own gap (desired − current, both on the scale). It keeps each
 * person's pair together, is the measure the priority flag is defined on (mean gap ≥ 2), and
 * unlike a difference of medians it moves with every answer of a small group.
 */
export const GAP_MEASURE = 'mean-paired-gap';

export interface RankedGap { id: string; number: number | null; title: string; meanGap: number; priority: boolean; negative: boolean }

/** Items with a gap shown, largest mean paired gap first (ties: in the instrument's order). */
export function gapRanking(items: readonly WeermanItemSummary[]): RankedGap[] {
  return items.map((item, index) => ({ item, index })).filter(({ item }) => !item.gap.suppressed)
    .sort((a, b) => b.item.gap.mean! - a.item.gap.mean! || a.index - b.index)
    .map(({ item: i }) => ({ id: i.id, number: i.number, title: i.title, meanGap: i.gap.mean!, priority: i.flags?.priority ?? false, negative: i.gap.mean! < 0 }));
}

function measure(name: string, view: WeermanView, model: InstrumentModel, counts: Counts, shown: ItemGuard): Measure {
  const values = counts.values(name, '');
  let answered = 0;
  for (const n of values.values()) answered += n;
  const question = model.byName.get(name);
  if (!question || !shown(question, '', answered)) return { name, answered: null, suppressed: true };
  const scale = new Map(view.scale.map((v) => [v, values.get(String(v)) ?? 0]));
  const dontKnow = values.get(view.dontKnow) ?? 0;
  const labels = new Map(model.byName.get(name)?.choices.map((c) => [c.key, c.label]) ?? []);
  return {
    name, answered, suppressed: false, ...describeCounts(scale),
    dontKnow, dontKnowShare: answered > 0 ? dontKnow / answered : 0,
    distribution: [...view.scale.map(String), view.dontKnow].map((key) => ({
      value: view.scale.includes(Number(key)) ? Number(key) : key, label: labels.get(key) ?? key, count: values.get(key) ?? 0,
    })),
  };
}
