// The rules of the results: which wave the caller may see (another organisation's wave is
// "not found"), which respondents a filter selects, and that nothing is shown for a group
// smaller than the wave's minimum. The numbers come from the repository; the tables, tests
// and summaries from the pure builders next to this file.
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { CurrentUser, scopeOf } from '../auth/scope';
import { invalid, notFound } from '../http/errors';
import { t } from '../i18n/messages';
import type { ScopedWave } from './repository';
import { InstrumentModel, instrumentModel, needsAnsweredCount } from './instrument-model';
import { Filter, parseFilters, parseItemRef } from './filters';
import { CompareResult, Excluded, ResultsContext, Selection, dedupe, head, isFixedByFilter } from './selection';
import { countsOf, countsPerGroup } from './tally-index';
import { questionTables } from './tables';
import { Group, ItemSpec, compareItems, itemSpecs } from './crosstabs';
import { compareWaves } from './wave-comparison';
import { seriesTrend } from './series';
import { waveSummary } from './summary';

const filterParam = z.union([z.string().max(300), z.array(z.string().max(300)).max(50)]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const resultsQuerySchema = z.object({ filter: filterParam }).strict();
export const compareQuerySchema = z.object({ by: z.string().min(1).max(200), filter: filterParam }).strict();
export const textsQuerySchema = z.object({ question: z.string().min(1).max(100), filter: filterParam }).strict();
export const waveCompareQuerySchema = z.object({ waves: z.string().min(1).max(500), filter: filterParam }).strict();
export const seriesQuerySchema = z.object({ organisationId: z.string().max(36).optional() }).strict();

export function createResultsService(store: Store, instruments: InstrumentCatalogue) {
  const repo = store.repos.results;

  async function modelOf(wave: ScopedWave): Promise<InstrumentModel> {
    const version = await instruments.byVersionId(wave.instrumentVersionId);
    if (!version) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    return instrumentModel(version);
  }

  async function findWave(actor: CurrentUser, id: string): Promise<ScopedWave> {
    const wave = await repo.findWave(scopeOf(actor), id);
    if (!wave) throw notFound();
    return wave;
  }

  async function select(actor: CurrentUser, id: string, rawFilters: string[], extra: Filter[] = []): Promise<Selection> {
    const wave = await findWave(actor, id);
    const model = await modelOf(wave);
    const filters = dedupe([...extra, ...parseFilters(rawFilters, model)]);
    const n = await repo.countRespondents(wave, filters);
    return { wave, model, filters, n, tooSmall: n < wave.minGroupSize };
  }

  const context: ResultsContext = { findWave, modelOf, select, compare: (...args) => service.compare(...args) };
  const service = {
    modelOf,
    findWave,
    select,

    async results(actor: CurrentUser, id: string, rawFilters: string[]) {
      const s = await select(actor, id, rawFilters);
      if (s.tooSmall) return { ...head(s), questions: [] };
      const counts = countsOf(await repo.distribution(s.wave, s.filters, needsAnsweredCount(s.model)));
      return { ...head(s), questions: questionTables(s.model, counts, s.n, s.wave.minGroupSize) };
    },

    /** Free-text answers to one open question, in random order, only for a large enough group. */
    async texts(actor: CurrentUser, id: string, questionName: string, rawFilters: string[]) {
      const s = await select(actor, id, rawFilters);
      const question = s.model.byName.get(questionName);
      if (!question || question.kind !== 'text') throw invalid([{ question: 'question', message: t('results.notText', { question: questionName }) }]);
      const about = { name: question.name, title: question.title, panel: question.panel, type: question.type };
      if (s.tooSmall) return { ...head(s), question: about, texts: [] };
      const texts = await repo.texts(s.wave, s.filters, [question.name]);
      return { ...head(s), question: about, texts: texts.map((x) => (x.row ? { row: x.row, text: x.text } : { text: x.text })) };
    },

    /** Every closed item crosstabbed against the answers to `by`, tested, Holm-adjusted. */
    async compare(actor: CurrentUser, id: string, byText: string, rawFilters: string[], extra: Filter[] = []): Promise<CompareResult> {
      const s = await select(actor, id, rawFilters, extra);
      const by = parseItemRef(byText, s.model, 'by');
      if (by.question.kind === 'multi') throw invalid([{ question: 'by', message: t('results.byNotSingle') }]);
      const byRow = by.question.rows.find((r) => r.key === by.row);
      const byJson = { name: by.question.name, row: byRow?.value ?? null, title: byRow?.label ?? by.question.title };
      if (s.tooSmall) return { ...head(s), by: { ...byJson, groups: [], excluded: [] }, items: [] };

      const crosstab = await repo.crosstab(s.wave, s.filters, { question: by.question.name, row: by.row }, needsAnsweredCount(s.model));
      const sizes = new Map(crosstab.groups.map((g) => [g.value, g.respondents]));
      const groups: Group[] = [];
      const excluded: Excluded[] = [];
      const knownKeys = new Set(by.question.choices.map((c) => c.key));
      const candidates = [...by.question.choices,
        ...[...sizes.keys()].filter((k) => !knownKeys.has(k)).map((k) => ({ value: k, key: k, label: k, missing: false }))];
      for (const choice of candidates) {
        const size = sizes.get(choice.key) ?? 0;
        if (choice.missing) excluded.push({ value: choice.value, label: choice.label, reason: 'missing-value' });
        // No one and a few are one reason: telling them apart would say that a small group exists.
        else if (size < s.wave.minGroupSize) excluded.push({ value: choice.value, label: choice.label, reason: 'below-minimum' });
        else groups.push({ value: choice.value, key: choice.key, label: choice.label, phrase: t('results.groupPhrase', { label: choice.label }) });
      }
      const specs = itemSpecs(s.model, (spec) => isItem(spec, by.question.name, by.row) || isFixedByFilter(spec, s.filters));
      const items = compareItems(specs, groups, countsPerGroup(crosstab.cells), s.wave.minGroupSize);
      return {
        ...head(s),
        by: { ...byJson, groups: groups.map((g) => ({ value: g.value, label: g.label, n: sizes.get(g.key) ?? 0 })), excluded },
        items,
      };
    },

    compareWaves: (actor: CurrentUser, ids: string, rawFilters: string[]) => compareWaves(context, repo, actor, ids, rawFilters),
    series: (actor: CurrentUser, series: string, organisationId?: string) => seriesTrend(context, repo, actor, series, organisationId),
    summary: (actor: CurrentUser, id: string, rawFilters: string[]) => waveSummary(context, repo, actor, id, rawFilters),
  };
  return service;
}

export type ResultsService = ReturnType<typeof createResultsService>;

function isItem(spec: ItemSpec, question: string, row: string): boolean {
  return spec.question.name === question && (spec.row?.key ?? '') === row;
}
