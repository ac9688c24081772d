// What every result starts from: the wave the caller may see, its instrument, the filters
// and the number of respondents they select; and the head every answer shares.
import type { CurrentUser } from '../auth/scope';
import { t } from '../i18n/messages';
import type { ScopedWave, WaveState } from './repository';
import type { InstrumentModel, QuestionModel } from './instrument-model';
import { Filter, filterJson } from './filters';
import { cellsShown, groupShown } from './disclosure';
import type { CompareItem, ItemSpec } from './crosstabs';
import type { Counts } from './tally-index';

/** The wave, its instrument and the selected respondents: where every result starts. */
export interface Selection {
  wave: ScopedWave;
  model: InstrumentModel;
  filters: Filter[];
  n: number;
  /**
   * Every selection with fewer of these filters (for one filter: the whole wave), in the
   * order of enclosingFilterSets, and their sizes: what this selection's numbers could be
   * subtracted from or combined with (disclosure.ts, the complement and the cell rule).
   */
  enclosing: Array<{ filters: Filter[]; n: number }>;
  /**
   * Per filter on a single-choice question or matrix row: the sizes of all its answers'
   * groups within the selection without that filter. Sibling filters (b_instelling:a,
   * b_instelling:b, …) can be subtracted from that selection together, so the filter's
   * group is shown only among the groups a comparison by that question would show.
   */
  partitions: Array<{ filter: Filter; total: number; sizes: Map<string, number>; missing: boolean }>;
  /** The minimum this selection was held to: the wave's, or the higher one of free texts. */
  min: number;
  /**
   * No numbers at all: fewer selected respondents than the minimum, or fewer left over in
   * one of the enclosing selections (the complement rule). Both answer as an empty selection.
   */
  tooSmall: boolean;
}

export interface CompareResult extends ReturnType<typeof head> {
  by: { name: string; row: string | number | null; title: string; groups: Array<{ value: unknown; label: string; n: number }>; excluded: Excluded[] };
  items: CompareItem[];
}

export interface Excluded {
  value: unknown;
  label: string;
  reason: string;
}

/** What the comparison between waves, the series and the summaries use of this service. */
export interface ResultsContext {
  findWave(actor: CurrentUser, id: string): Promise<ScopedWave>;
  /** Several waves in one statement, each as findWave finds it (404 at the first not in the caller's scope). */
  /** known: the waves as one statement found them with their state already (a series'), else read. */
  findWaves(actor: CurrentUser, ids: readonly string[], known?: ReadonlyMap<string, { wave: ScopedWave; state: WaveState }>): Promise<ScopedWave[]>;
  modelOf(wave: ScopedWave): Promise<InstrumentModel>;
  select(actor: CurrentUser, id: string, rawFilters: string[], extra?: Filter[]): Promise<Selection>;
  /** The selection of these filters in a wave already found (the comparison between waves). */
  selectWithin(wave: ScopedWave, model: InstrumentModel, filters: Filter[]): Promise<Selection>;
  /** The same selection held to another minimum (a higher one: free texts, several waves). */
  heldTo(s: Selection, min: number): Selection;
  /** The counts of each enclosing selection, for the item-level complement rule. */
  enclosingCounts(s: Selection, answeredFor: readonly string[]): Promise<Counts[]>;
  /** Records that the wave has shown a result with numbers (its minimum may then only rise). */
  shown(wave: ScopedWave): Promise<void>;
  /** The groups of `by` that may be shown within the selection (the compare rule), with their sizes and counts. */
  visibleGroups(s: Selection, by: QuestionModel): Promise<{
    sizes: Map<string, number>; counts: Map<string, Counts>; around: Array<Map<string, Counts>>;
    /** The cell rule for a group's answerers of an item, within filters (undefined without filters). */
    cells?: (spec: ItemSpec, groupKey: string, n: number) => boolean;
  }>;
  /** The smallest selection whose free texts are shown. */
  textMinimum: number;
  compare(actor: CurrentUser, id: string, byText: string, rawFilters: string[], extra?: Filter[]): Promise<CompareResult>;
}

export function waveJson(wave: ScopedWave) {
  return {
    id: wave.id, label: wave.label, instrument: wave.instrumentKey, version: wave.instrumentVersion, series: wave.series,
    mode: wave.mode, status: wave.status, opensAt: wave.opensOn, closesAt: wave.closesOn, minGroupSize: wave.minGroupSize,
    // Results change in steps (server/sealing/): how many stored responses wait for the next.
    awaiting: wave.awaiting ?? 0,
  };
}

/** The common head of every answer. A too-small filtered group does not even get its n: that alone can identify people. */
export function head(s: Selection) {
  const filtered = s.filters.length > 0;
  return {
    wave: waveJson(s.wave),
    n: s.tooSmall && filtered ? null : s.n,
    suppressed: s.tooSmall,
    message: s.tooSmall ? t(filtered ? 'results.filterBelowMinimum' : 'results.waveBelowMinimum', { min: s.min }) : null,
    filters: filterJson(s.filters, s.model),
  };
}

/**
 * The smallest group whose free texts a wave shows. In an anonymous wave a text gives its
 * writer away sooner than a count, so texts wait for the text minimum too. In an identified
 * wave every answer already belongs to a named invitation (the manager who invited knows who
 * answered), and its texts, such as the Weerman scan's questions for the MT's agenda, are
 * the point: the wave's own minimum holds.
 */
export function textMinimumOf(wave: { mode: string; minGroupSize: number }, textMinimum: number): number {
  return wave.mode === 'anonymous' ? Math.max(textMinimum, wave.minGroupSize) : wave.minGroupSize;
}

/** Whether the free texts of a selection may be shown: it and its rest in every enclosing selection hold the text minimum. */
export function textsAllowed(s: Selection, textMinimum: number): boolean {
  const min = textMinimumOf(s.wave, textMinimum);
  const around = s.enclosing.map((e) => e.n);
  return s.filters.length === 0 ? s.n >= min : groupShown(s.n, around, min) && cellsShown(s.filters.length, s.n, around, min);
}

/** An item every selected respondent answered the same way (it is the filter) tells nothing. */
export function isFixedByFilter(spec: ItemSpec, filters: readonly Filter[]): boolean {
  return filters.some((f) => f.question === spec.question.name && (spec.choice ? spec.choice.key === f.value : (spec.row?.key ?? '') === f.row));
}

export function dedupe(filters: Filter[]): Filter[] {
  return [...new Map(filters.map((f) => [`${f.question}\u0001${f.row}\u0001${f.value}`, f])).values()];
}
