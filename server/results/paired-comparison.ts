// GET /api/v1/compare/paired?waves=a,b: the same people before and after. Two identified
// waves of one series whose invitations carry the same pseudonymous panel keys (invitations
// made with `panelFrom`): per item the table of answers at the first wave × answers at the
// second, over complete pairs only, tested with McNemar/Bowker (nominal) or the Wilcoxon
// signed-rank test (ordinal), adjusted per family as in a comparison. Small groups: the
// pairs of an item are shown only when there are at least the minimum of them, and when the
// answerers of the item in each wave who are NOT in a pair are nobody or at least the
// minimum too (the wave's own table minus the pairs would otherwise describe them).
import { CurrentUser } from '../auth/scope';
import { invalid } from '../http/errors';
import { t } from '../i18n/messages';
import type { ResultsRepository } from './repository';
import { needsAnsweredCount } from './instrument-model';
import { Counts, countsOf } from './tally-index';
import { ALPHA, familyOf, isValueItem } from './crosstabs';
import type { ItemSpec } from './crosstabs';
import { comparableItems } from './comparability';
import { ResultsContext, waveJson } from './selection';
import { restOk } from './disclosure';
import { distinct } from './wave-comparison';
import { measurementLevelOf } from '../instruments/measurement-level';
import {
  AdjustMethod, P_FLOOR, benjaminiHochberg, formatNumberNl, formatPValue, holm, symmetryTest, wilcoxonSignedRank,
} from '../stats';

export async function comparePaired(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, idsText: string, adjust: AdjustMethod = 'holm') {
  const ids = [...new Set(idsText.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length !== 2) throw invalid([{ question: 'waves', message: t('results.paired.waves') }]);
  const waves = [await ctx.findWave(actor, ids[0]), await ctx.findWave(actor, ids[1])];
  if (waves.some((w) => w.mode !== 'identified') || !waves[0].series || waves[0].series !== waves[1].series || waves[0].instrumentKey !== waves[1].instrumentKey) {
    throw invalid([{ question: 'waves', message: t('results.paired.waves') }]);
  }
  const models = await Promise.all(waves.map((w) => ctx.modelOf(w)));
  const min = Math.max(waves[0].minGroupSize, waves[1].minGroupSize);
  const { specs } = comparableItems(distinct(models), isValueItem);
  const items = specs.filter((s) => !s.choice && (s.question.kind === 'single' || s.question.kind === 'matrix'));
  const { pairs, cells } = await repo.pairedCounts(waves[0], waves[1], [...new Set(items.map((s) => s.question.name))]);
  const head = { waves: waves.map(waveJson), minGroupSize: min };
  if (pairs < min) return { ...head, pairs: null, suppressed: true, message: t('results.paired.tooFew', { min }), items: [] };
  for (const wave of waves) await ctx.shown(wave);

  const perWave: Counts[] = [];
  for (const [w, wave] of waves.entries()) perWave.push(countsOf(await repo.distribution(wave, [], needsAnsweredCount(models[w]))));
  const model = models[1];
  const built = items.map((spec) => pairedItem(spec, cells, perWave, min, measurementLevelOf(model, spec.question.name)));
  const families = items.map((spec) => familyOf(spec, model));
  const adjusted = adjustByFamily(built.map((b) => b.test?.p ?? null), families, adjust);
  const sizes = new Map<string, number>();
  built.forEach((b, i) => { if (b.test) sizes.set(families[i], (sizes.get(families[i]) ?? 0) + 1); });
  return {
    ...head, pairs, suppressed: false, message: null,
    items: built.map((b, i) => (b.test ? {
      ...b, test: { ...b.test, pAdjusted: adjusted[i]!, family: { name: families[i], size: sizes.get(families[i])!, method: adjust } },
      significant: adjusted[i]! < ALPHA,
    } : b)),
  };
}

function adjustByFamily(ps: readonly (number | null)[], families: readonly string[], method: AdjustMethod): (number | null)[] {
  const out: (number | null)[] = ps.map(() => null);
  for (const family of new Set(families)) {
    const indices = families.flatMap((f, i) => (f === family ? [i] : []));
    const result = (method === 'bh' ? benjaminiHochberg : holm)(indices.map((i) => ps[i]));
    indices.forEach((i, k) => { out[i] = result[k]; });
  }
  return out;
}

type Cells = Array<{ question: string; row: string; before: string; after: string; pairs: number }>;

function pairedItem(spec: ItemSpec, cells: Cells, perWave: readonly Counts[], min: number, level: string) {
  const { question } = spec;
  const row = spec.row?.key ?? '';
  const categories = question.choices.filter((c) => !c.missing);
  const index = new Map(categories.map((c, i) => [c.key, i]));
  const k = categories.length;
  const flat = new Array<number>(k * k).fill(0); // before × after, row by row
  for (const cell of cells) {
    if (cell.question !== question.name || cell.row !== row) continue;
    const i = index.get(cell.before);
    const j = index.get(cell.after);
    if (i !== undefined && j !== undefined) flat[i * k + j] += cell.pairs; // missing values on either side: no pair
  }
  const table = categories.map((_, i) => flat.slice(i * k, (i + 1) * k));
  const n = table.flat().reduce((a, b) => a + b, 0);
  const answered = perWave.map((counts) => categories.reduce((k, c) => k + counts.count(question.name, row, c.key), 0));
  const base = {
    name: question.name, ...(spec.row ? { row: spec.row.value } : {}),
    title: spec.row?.label ?? question.title, questionTitle: question.title, level: level === 'ordinal' ? 'ordinal' : 'nominal',
    categories: categories.map((c) => c.value), categoryLabels: categories.map((c) => c.label),
  };
  // The pairs are a subset of each wave's answerers: their rest must be nobody or enough.
  if (n < min || !answered.every((a) => restOk(a, n, min))) {
    return { ...base, n: null, suppressed: true, counts: undefined, test: null, sentence: t('results.paired.suppressed') };
  }
  const used = categories.map((_, i) => i).filter((i) => table[i].some((x) => x > 0) || table.some((r) => r[i] > 0));
  const shown = { ...base, n, suppressed: false, counts: table };
  try {
    if (level === 'ordinal') {
      const pairs: Array<[number, number]> = [];
      table.forEach((r, i) => r.forEach((k, j) => { for (let m = 0; m < k; m++) pairs.push([i, j]); }));
      const w = wilcoxonSignedRank(pairs);
      const text = t('results.paired.wilcoxon', { z: formatNumberNl(w.z, 2), n, p: formatPValue(w.p), effect: formatNumberNl(w.effectSize, 2) });
      return { ...shown, test: { method: w.method, statistic: w.statistic, z: w.z, df: null, p: Math.max(P_FLOOR, w.p), effectSize: w.effectSize, text }, sentence: '' };
    }
    const square = used.map((i) => used.map((j) => table[i][j]));
    const s = symmetryTest(square);
    const text = t(s.method === 'mcnemar' ? 'results.paired.mcnemar' : 'results.paired.bowker', { df: s.df, n, statistic: formatNumberNl(s.statistic, 2), p: formatPValue(s.p) });
    return { ...shown, test: { method: s.method, statistic: s.statistic, df: s.df, p: s.p, text }, sentence: '' };
  } catch {
    // Nobody changed answer (or one category only): nothing to test.
    return { ...shown, test: null, sentence: t('results.paired.notTested') };
  }
}
