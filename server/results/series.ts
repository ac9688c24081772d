// GET /api/v1/series/:series: the waves of one series (one organisation), oldest first,
// with every comparable item's distribution per wave side by side for a trend view, and
// the comparison between the waves (the most recent MAX_WAVES when there are more). Numbers
// and ranked choices (issue 15) are not tabulated per answer (that would list single values):
// valueItems has per wave their summary (valueSummary, as a comparison's groups), and the
// comparison their rank test between the waves.
import { CurrentUser, organisationOf, scopeOf } from '../auth/scope';
import { invalid, notFound } from '../http/errors';
import { t } from '../i18n/messages';
import type { ResultsRepository, ScopedWave } from './repository';
import { Counts, countsOf } from './tally-index';
import { InstrumentModel, needsAnsweredCount } from './instrument-model';
import { ItemSpec, answeredItem, isValueItem, specContext, valueSummary } from './crosstabs';
import { NotComparable, comparableItems } from './comparability';
import { share, sum, withUnknown } from './tables';
import { MAX_WAVES, compareWaves, distinct } from './wave-comparison';
import { ResultsContext, waveJson } from './selection';

export async function seriesTrend(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, series: string, organisationId?: string) {
  // One statement: the waves, their state (the comparison below finds its waves in it) and
  // the respondents of those whose copy the process does not hold (countRespondents takes them).
  const found = await repo.seriesWavesWithState(scopeOf(actor), organisationId ?? organisationOf(actor), series, true);
  const waves = found.map(({ wave }) => wave);
  if (waves.length === 0) throw notFound();
  if (new Set(waves.map((w) => w.instrumentKey)).size > 1) throw invalid([{ question: 'series', message: t('results.seriesMixed') }]);
  const models = await Promise.all(waves.map((w) => ctx.modelOf(w)));
  const perWave: Array<{ wave: ScopedWave; n: number; counts: Counts }> = [];
  for (const wave of waves) {
    perWave.push({ wave, n: await repo.countRespondents(wave, []), counts: countsOf(await repo.distribution(wave, [], needsAnsweredCount(models[0]))) });
  }
  const { items, values } = seriesItemsOf(distinct(models));
  for (const { wave, n } of perWave) if (n >= wave.minGroupSize) await ctx.shown(wave);
  const recent = waves.slice(-MAX_WAVES);
  return {
    series,
    organisationId: waves[0].organisationId,
    instrument: waves[0].instrumentKey,
    waves: perWave.map(({ wave, n }) => ({ ...waveJson(wave), n, suppressed: n < wave.minGroupSize })),
    items: items.specs.map((spec, i) => ({
      ...items.heads[i],
      waves: perWave.map(({ wave, n, counts }) => ({ wave: wave.id, ...distribution(spec, counts, n < wave.minGroupSize, wave.minGroupSize) })),
    })),
    valueItems: values.specs.map((spec, i) => ({
      ...values.heads[i],
      waves: perWave.map(({ wave, n, counts }) => ({ wave: wave.id, ...waveValues(spec, counts, n < wave.minGroupSize, wave.minGroupSize) })),
    })),
    notComparable: [...items.notComparable, ...values.notComparable],
    comparison: recent.length >= 2 ? await compareWaves(ctx, repo, actor, recent.map((w) => w.id).join(','), [], {},
      new Map(found.map((one) => [one.wave.id, one]))) : null,
  };
}

interface SeriesItems<Head> {
  specs: ItemSpec[];
  notComparable: NotComparable[];
  /** Each item's description, as it opens the item in the answer. */
  heads: Head[];
}

function headOf(spec: ItemSpec) {
  return {
    name: spec.question.name,
    ...(spec.row ? { row: spec.row.value } : {}),
    ...(spec.choice ? { choice: spec.choice.value } : {}),
    title: spec.row?.label ?? spec.choice?.label ?? spec.question.title,
    questionTitle: spec.question.title, panel: spec.question.panel, context: specContext(spec), type: spec.question.type,
  };
}
type ItemHead = ReturnType<typeof headOf>;
type Items = { items: SeriesItems<ItemHead>; values: SeriesItems<ItemHead & { kind: ItemSpec['question']['kind'] }> };

/**
 * The items compared and their descriptions: the same for every request on these instrument
 * versions, so made once per version (models are kept per version) when the series has one,
 * as compareItems' missing values are; a series of several versions makes them per request.
 */
const itemsOfModel = new WeakMap<InstrumentModel, Items>();
function seriesItemsOf(models: InstrumentModel[]): Items {
  const kept = models.length === 1 ? itemsOfModel.get(models[0]) : undefined;
  if (kept) return kept;
  const items = comparableItems(models, isValueItem);
  const values = comparableItems(models, (spec) => !isValueItem(spec));
  const made: Items = {
    items: { ...items, heads: items.specs.map(headOf) },
    values: { ...values, heads: values.specs.map((spec) => ({ ...headOf(spec), kind: spec.question.kind })) },
  };
  if (models.length === 1) itemsOfModel.set(models[0], made);
  return made;
}

/** One item in one wave: every answer with its count and share of those who answered (or ticked anything). */
function distribution(spec: ItemSpec, counts: Counts, waveTooSmall: boolean, minGroupSize: number) {
  const { question } = spec;
  let n: number;
  let options: Array<{ value: string | number | boolean; label: string; count: number }>;
  if (spec.choice) {
    let missing = 0;
    for (const c of question.choices) if (c.missing) missing += counts.count(question.name, '', c.key);
    n = counts.answered(question.name) - missing;
    const ticked = counts.count(question.name, '', spec.choice.key);
    options = [{ value: 1, label: t('results.ticked'), count: ticked }, { value: 0, label: t('results.notTicked'), count: n - ticked }];
  } else {
    const values = counts.values(question.name, spec.row?.key ?? '');
    n = sum(values);
    options = withUnknown(question.choices, values).map((c) => ({ value: c.value, label: c.label, count: values.get(c.key) ?? 0 }));
  }
  const suppressed = waveTooSmall || n < minGroupSize;
  // Not even n: "2 answered" is the small group the minimum protects, and a wave below
  // the minimum answers as an empty one.
  if (suppressed) return { n: null, suppressed, options: options.map(({ value, label }) => ({ value, label })) };
  return { n, suppressed, options: options.map((o) => ({ value: o.value, label: o.label, count: o.count, percent: share(o.count, n) })) };
}

/** A number or one ranked choice in one wave: its summary, or nothing (not even n) below the minimum. */
function waveValues(spec: ItemSpec, counts: Counts, waveTooSmall: boolean, minGroupSize: number) {
  const n = answeredItem(spec, counts);
  const summary = valueSummary(spec, counts);
  if (waveTooSmall || n < minGroupSize || !summary) return { n: null, suppressed: true };
  return { n, suppressed: false, ...(summary.numbers ? { numbers: summary.numbers } : { ranks: summary.ranks }) };
}
