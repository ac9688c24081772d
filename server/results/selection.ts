// What every result starts from: the wave the caller may see, its instrument, the filters
// and the number of respondents they select; and the head every answer shares.
import type { CurrentUser } from '../auth/scope';
import { t } from '../i18n/messages';
import type { ScopedWave } from './repository';
import type { InstrumentModel } from './instrument-model';
import { Filter, filterJson } from './filters';
import type { CompareItem, ItemSpec } from './crosstabs';

/** The wave, its instrument and the selected respondents: where every result starts. */
export interface Selection {
  wave: ScopedWave;
  model: InstrumentModel;
  filters: Filter[];
  n: number;
  /** Fewer selected respondents than the minimum: no numbers at all. */
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
  modelOf(wave: ScopedWave): Promise<InstrumentModel>;
  select(actor: CurrentUser, id: string, rawFilters: string[], extra?: Filter[]): Promise<Selection>;
  compare(actor: CurrentUser, id: string, byText: string, rawFilters: string[], extra?: Filter[]): Promise<CompareResult>;
}

export function waveJson(wave: ScopedWave) {
  return {
    id: wave.id, label: wave.label, instrument: wave.instrumentKey, version: wave.instrumentVersion, series: wave.series,
    mode: wave.mode, status: wave.status, opensAt: wave.opensOn, closesAt: wave.closesOn, minGroupSize: wave.minGroupSize,
  };
}

/** The common head of every answer. A too-small filtered group does not even get its n: that alone can identify people. */
export function head(s: Selection) {
  const filtered = s.filters.length > 0;
  return {
    wave: waveJson(s.wave),
    n: s.tooSmall && filtered ? null : s.n,
    suppressed: s.tooSmall,
    message: s.tooSmall ? t(filtered ? 'results.filterBelowMinimum' : 'results.waveBelowMinimum', { min: s.wave.minGroupSize }) : null,
    filters: filterJson(s.filters, s.model),
  };
}

/** An item every selected respondent answered the same way (it is the filter) tells nothing. */
export function isFixedByFilter(spec: ItemSpec, filters: readonly Filter[]): boolean {
  return filters.some((f) => f.question === spec.question.name && (spec.choice ? spec.choice.key === f.value : (spec.row?.key ?? '') === f.row));
}

export function dedupe(filters: Filter[]): Filter[] {
  return [...new Map(filters.map((f) => [`${f.question}\u0001${f.row}\u0001${f.value}`, f])).values()];
}
