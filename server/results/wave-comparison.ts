// GET /api/v1/compare?waves=: the same comparison as by a question, with the waves as the
// groups. All waves must be in the caller's scope (else 404, as for one missing wave) and
// use the same instrument; only items that are the same in every version used are compared
// (comparability.ts). The minimum group size is the largest of the waves' minimums, so no
// wave's promise to its respondents is broken. Waves are in the order asked for.
import { CurrentUser } from '../auth/scope';
import { invalid } from '../http/errors';
import { t } from '../i18n/messages';
import type { ResultsRepository, ScopedWave, WaveState } from './repository';
import { InstrumentModel, needsAnsweredCount } from './instrument-model';
import { filterJson, parseFilters } from './filters';
import { Counts, countsOf } from './tally-index';
import { Group, answeredItem, compareItems } from './crosstabs';
import { comparableItems } from './comparability';
import { Excluded, ResultsContext, dedupe, isFixedByFilter, waveJson } from './selection';
import { cellsShown, enclosingFilterSets } from './disclosure';

export const MAX_WAVES = 10;

export async function compareWaves(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, idsText: string, rawFilters: string[],
  options: { adjust?: 'holm' | 'bh'; intervals?: 'wilson' } = {}, known?: ReadonlyMap<string, { wave: ScopedWave; state: WaveState }>) {
  const ids = [...new Set(idsText.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length < 2 || ids.length > MAX_WAVES) throw invalid([{ question: 'waves', message: t('results.waveList', { max: MAX_WAVES }) }]);
  const waves = await ctx.findWaves(actor, ids, known);
  if (new Set(waves.map((w) => w.instrumentKey)).size > 1) throw invalid([{ question: 'waves', message: t('results.differentInstruments') }]);
  const models = await Promise.all(waves.map((w) => ctx.modelOf(w)));
  const filters = dedupe(parseFilters(rawFilters, models[0]));
  for (const model of models.slice(1)) parseFilters(rawFilters, model); // the filter must mean something in every version
  const minGroupSize = Math.max(...waves.map((w) => w.minGroupSize));

  const groups: Group[] = [];
  const sizes = new Map<string, number>();
  const counts = new Map<string, Counts>();
  const excluded: Excluded[] = [];
  // Each wave's group is that wave's selection: shown only when it and its rest within every
  // selection one filter wider (in that wave) are large enough. An empty wave, a small one
  // and one whose rest is small give one reason: telling them apart would say which.
  const sets = enclosingFilterSets(filters);
  const enclosing = sets.map(() => new Map<string, Counts>());
  const answeredFor = needsAnsweredCount(models[0]);
  for (const [w, wave] of waves.entries()) {
    const s = ctx.heldTo(await ctx.selectWithin(wave, models[w], filters), minGroupSize);
    if (s.tooSmall) {
      excluded.push({ value: wave.id, label: wave.label, reason: 'below-minimum' });
      continue;
    }
    sizes.set(wave.id, s.n);
    counts.set(wave.id, countsOf(await repo.distribution(wave, filters, answeredFor)));
    for (const [i, e] of s.enclosing.entries()) enclosing[i].set(wave.id, countsOf(await repo.distribution(wave, e.filters, answeredFor)));
    groups.push({ value: wave.id, key: wave.id, label: wave.label, phrase: t('results.wavePhrase', { label: wave.label }) });
  }
  for (const wave of waves) if (sizes.has(wave.id)) await ctx.shown(wave);
  const { specs, notComparable } = comparableItems(distinct(models), (spec) => isFixedByFilter(spec, filters));
  const suppressed = groups.length < 2;
  return {
    waves: waves.map(waveJson),
    minGroupSize,
    n: [...sizes.values()].reduce((a, b) => a + b, 0),
    suppressed,
    message: suppressed ? t(filters.length > 0 ? 'results.filterBelowMinimum' : 'results.waveBelowMinimum', { min: minGroupSize }) : null,
    filters: filterJson(filters, models[0]),
    by: {
      name: 'wave', row: null, title: t('results.waveTitle'),
      groups: groups.map((g) => ({ value: g.value, label: g.label, n: sizes.get(g.key)! })), excluded,
    },
    // The waves in the order asked for: over three or more, a trend test on that order.
    // Each wave's group is that wave's selection: the cell rule of its filters, per item.
    items: await compareItems(specs, groups, counts, minGroupSize, {
      enclosing,
      cells: (spec, waveId, n) => cellsShown(filters.length, n, enclosing.map((m) => answeredItem(spec, m.get(waveId))), minGroupSize),
    }, { model: models[models.length - 1], adjust: options.adjust, intervals: options.intervals ?? null, ordered: true }),
    notComparable,
  };
}

export function distinct(models: InstrumentModel[]): InstrumentModel[] {
  return [...new Map(models.map((m) => [m.versionId, m])).values()];
}
