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
import type { ScopedWave, WaveState } from './repository';
import { dueForSealing } from '../sealing/sealer';
import { InstrumentModel, QuestionModel, instrumentModel, needsAnsweredCount } from './instrument-model';
import { cellsShown, enclosingFilterSets, enclosingMasks, groupShown, itemGuard, partitionShown, restOk, shownGroups } from './disclosure';
import { dayInNetherlands } from '../util/dates';
import { Filter, parseFilters, parseItemRef } from './filters';
import { CompareResult, Excluded, ResultsContext, Selection, dedupe, head, isFixedByFilter, waveJson } from './selection';
import { Counts, countsOf, countsPerGroup } from './tally-index';
import { questionTables } from './tables';
import { Group, ItemSpec, answeredItem, compareItems, itemSpecs } from './crosstabs';
import { compareWaves } from './wave-comparison';
import { comparePaired } from './paired-comparison';
import { seriesTrend } from './series';
import { textMinimumFor, waveSummary } from './summary';
import { weermanSession } from './weerman-session';
import { ReadLimiter, createReadLimiter } from './read-limits';
import { asOneRead, oncePerRead } from './one-read';
import { createReadMemo } from './read-memo';

const filterParam = z.union([z.string().max(300), z.array(z.string().max(300)).max(50)]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const resultsQuerySchema = z.object({ filter: filterParam }).strict();
/** How a comparison is adjusted for multiple testing, and whether it adds Wilson intervals (docs/api-additions.md). */
const adjustParam = z.enum(['holm', 'bh']).optional();
const intervalsParam = z.enum(['wilson']).optional();
/** Kinds of question that cannot group respondents for a comparison, with the message key saying why. */
const NOT_GROUPING: ReadonlyMap<string, string> = new Map([
  ['number', 'results.byKindNumber'], ['date', 'results.byKindDate'], ['ranking', 'results.byKindRanking'], ['table', 'results.byKindTable'],
]);

export const compareQuerySchema = z.object({ by: z.string().min(1).max(200), filter: filterParam, adjust: adjustParam, intervals: intervalsParam }).strict();
export const textsQuerySchema = z.object({ question: z.string().min(1).max(100), filter: filterParam }).strict();
export const waveCompareQuerySchema = z.object({ waves: z.string().min(1).max(500), filter: filterParam, adjust: adjustParam, intervals: intervalsParam }).strict();

export const pairedQuerySchema = z.object({ waves: z.string().min(1).max(200), adjust: adjustParam }).strict();

export interface CompareRequestOptions {
  adjust?: 'holm' | 'bh';
  intervals?: 'wilson';
}
export const seriesQuerySchema = z.object({ organisationId: z.string().max(36).optional() }).strict();

export interface ResultsOptions {
  /** The smallest selection whose free texts are shown (Config.minTextGroupSize). */
  minTextGroupSize?: number;
  /** Seals the wave's pending responses if due (server/sealing/): results read sealed rows only. */
  beforeRead?: (waveId: string) => Promise<void>;
  /** How many reads run at once, per user and overall (read-limits.ts); default: its defaults. */
  readLimiter?: ReadLimiter;
  /** Most answers kept for the same request at the same version of a wave's answers (read-memo.ts); 0: none (the benchmark's first read after a change). */
  keptAnswers?: number;
}

export function createResultsService(store: Store, instruments: InstrumentCatalogue, { minTextGroupSize = 10, beforeRead, readLimiter = createReadLimiter(), keptAnswers }: ResultsOptions = {}) {
  const repo = store.repos.results;
  const memo = createReadMemo(keptAnswers);

  async function modelOf(wave: ScopedWave): Promise<InstrumentModel> {
    const version = await instruments.byVersionId(wave.instrumentVersionId);
    if (!version) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    return instrumentModel(version);
  }

  const waveKey = (actor: CurrentUser, id: string) => `wave ${actor.id} ${actor.organisationId} ${actor.role} ${id}`;

  function findWave(actor: CurrentUser, id: string): Promise<ScopedWave> {
    // Once per request: a summary finds its wave again for each of its comparisons.
    return oncePerRead(waveKey(actor, id), () => findWaveNow(actor, id));
  }

  /** Several waves, in this order, as findWave finds each (404 at the first the caller may not see), in one statement. */
  async function findWaves(actor: CurrentUser, ids: readonly string[], known?: ReadonlyMap<string, { wave: ScopedWave; state: WaveState }>): Promise<ScopedWave[]> {
    const found = known ?? await repo.findWavesWithState(scopeOf(actor), ids);
    const waves = [];
    for (const id of ids) {
      const one = found.get(id);
      if (!one) throw notFound();
      waves.push(await oncePerRead(waveKey(actor, id), () => withState(one.wave, one.state)));
    }
    return waves;
  }

  async function findWaveNow(actor: CurrentUser, id: string): Promise<ScopedWave> {
    // One statement: the wave, its pending responses, its tally queue and the version of its answers.
    const found = await repo.findWaveWithState(scopeOf(actor), id);
    if (!found) throw notFound();
    return withState(found.wave, found.state);
  }

  /** The wave as a read sees it: sealed first if a seal could change it, with its pending count and the version of its answers. */
  async function withState(wave: ScopedWave, found: WaveState): Promise<ScopedWave> {
    let state = found;
    if (beforeRead && sealMayChange(wave, state)) {
      await beforeRead(wave.id);
      state = (await repo.waveState(wave.id)) ?? state;
    }
    if (!state.queued) repo.nothingQueued(wave.id);
    repo.countersRead(wave.id, state.counters);
    return { ...wave, awaiting: state.pending, answersVersion: state.answers };
  }

  async function select(actor: CurrentUser, id: string, rawFilters: string[], extra: Filter[] = []): Promise<Selection> {
    const wave = await findWave(actor, id);
    const model = await modelOf(wave);
    return selectWithin(wave, model, dedupe([...extra, ...parseFilters(rawFilters, model)]));
  }

  /** The selection of these filters in a wave the caller may see, held to the wave's minimum. */
  async function selectWithin(wave: ScopedWave, model: InstrumentModel, filters: Filter[]): Promise<Selection> {
    const n = await repo.countRespondents(wave, filters);
    const enclosing = [];
    for (const set of enclosingFilterSets(filters)) enclosing.push({ filters: set, n: await repo.countRespondents(wave, set) });
    const partitions = [];
    for (const filter of filters) {
      const question = model.byName.get(filter.question);
      if (!question || (question.kind !== 'single' && question.kind !== 'matrix')) continue; // checkbox choices overlap: no partition
      const around = filters.filter((f) => f !== filter);
      const total = enclosing.find((e) => sameFilters(e.filters, around))?.n ?? await repo.countRespondents(wave, around);
      const missing = question.choices.some((c) => c.missing && c.key === filter.value);
      partitions.push({ filter, total, missing, sizes: await repo.groupSizes(wave, around, { question: question.name, row: filter.row }) });
    }
    const selection = { wave, model, filters, n, enclosing, partitions, min: wave.minGroupSize, tooSmall: false };
    return heldTo(selection, wave.minGroupSize);
  }

  /**
   * The selection held to a minimum: itself and its rest in every enclosing selection, and
   * for a filter on a single-choice question, its group among those shown of that question
   * (the rest after all of them nobody or at least the minimum; a missing value such as
   * "zeg ik liever niet" is never a group of its own, as in a comparison).
   */
  function heldTo(s: Selection, min: number): Selection {
    const around = s.enclosing.map((e) => e.n);
    const tooSmall = s.filters.length === 0 ? s.n < min
      : !groupShown(s.n, around, min) || !cellsShown(s.filters.length, s.n, around, min)
        || s.partitions.some((p) => p.missing || !amongShown(p, s.model, min));
    return { ...s, min, tooSmall };
  }

  async function enclosingCounts(s: Selection, answeredFor: readonly string[]): Promise<Counts[]> {
    const counts = [];
    for (const e of s.enclosing) counts.push(countsOf(await repo.distribution(s.wave, e.filters, answeredFor)));
    return counts;
  }

  async function shown(wave: ScopedWave): Promise<void> {
    if (wave.resultsShownOn === null) await repo.markResultsShown(wave.id, dayInNetherlands());
  }

  /**
   * The groups of `by` within a selection that may be shown, with the crosstab and the
   * counts the item-level rule needs: every group large enough, its rest in the selections
   * one filter wider large enough, and the respondents left out (smaller groups, missing
   * values, no answer to `by`) nobody or at least the minimum (disclosure.ts).
   */
  async function groupsOf(s: Selection, by: { question: QuestionModel; row: string }) {
    const answeredFor = needsAnsweredCount(s.model);
    const ref = { question: by.question.name, row: by.row };
    const crosstab = await repo.crosstab(s.wave, s.filters, ref, answeredFor);
    const around = [];
    for (const e of s.enclosing) around.push(await repo.crosstab(s.wave, e.filters, ref, answeredFor));
    const aroundSizes = around.map((c) => new Map(c.groups.map((g) => [g.value, g.respondents])));
    const sizes = new Map(crosstab.groups.map((g) => [g.value, g.respondents]));
    const knownKeys = new Set(by.question.choices.map((c) => c.key));
    const candidates = [...by.question.choices,
      ...[...sizes.keys()].filter((k) => !knownKeys.has(k)).map((k) => ({ value: k, key: k, label: k, missing: false }))]
      .map((choice) => ({ choice, n: sizes.get(choice.key) ?? 0 }));
    // The cell rule over the filters and the group (by = value) as one more characteristic.
    const k = s.filters.length;
    const aroundN = new Map(enclosingMasks(k).map((m, i) => [m, s.enclosing[i]?.n ?? 0]));
    const aroundGroup = new Map(enclosingMasks(k).map((m, i) => [m, aroundSizes[i]]));
    const full = (1 << k) - 1;
    const cellsOk = (key: string, n: number) => k === 0 || partitionShown(k + 1, (mask) => {
      const within = mask & full;
      if ((mask >> k) & 1) return within === full ? n : aroundGroup.get(within)?.get(key) ?? 0;
      return within === full ? s.n : aroundN.get(within) ?? 0;
    }, s.min);
    const visible = shownGroups(candidates, s.n, s.min,
      ({ choice, n }) => !choice.missing && aroundSizes.every((m) => restOk(m.get(choice.key) ?? 0, n, s.min)) && cellsOk(choice.key, n));
    return {
      crosstab, candidates, visible, sizes,
      guard: {
        whole: countsOf(await repo.distribution(s.wave, s.filters, answeredFor)),
        enclosing: around.map((c) => countsPerGroup(c.cells)),
      },
    };
  }

  /**
   * The cell rule for a comparison's items within filters: a group's answerers of an item,
   * with the filters and the group as characteristics (the answerers in every enclosing
   * selection, in the group and in all). Without filters the compare rule alone holds.
   */
  async function itemCells(s: Selection, guard: { whole: Counts; enclosing: Array<Map<string, Counts>> }) {
    const k = s.filters.length;
    if (k === 0) return undefined;
    const everyone = await enclosingCounts(s, needsAnsweredCount(s.model));
    const masks = enclosingMasks(k);
    const full = (1 << k) - 1;
    const index = new Map(masks.map((m, i) => [m, i]));
    return (spec: ItemSpec, groupKey: string, n: number) => partitionShown(k + 1, (mask) => {
      const within = mask & full;
      if ((mask >> k) & 1) return within === full ? n : answeredItem(spec, guard.enclosing[index.get(within)!]?.get(groupKey));
      return answeredItem(spec, within === full ? guard.whole : everyone[index.get(within)!]);
    }, s.min);
  }

  async function visibleGroups(s: Selection, by: QuestionModel) {
    const { visible, sizes, crosstab, guard } = await groupsOf(s, { question: by, row: '' });
    const keys = new Set([...visible].map((c) => c.choice.key));
    const counts = countsPerGroup(crosstab.cells);
    return {
      sizes: new Map([...sizes].filter(([k]) => keys.has(k))), counts: new Map([...counts].filter(([k]) => keys.has(k))), around: guard.enclosing,
      cells: await itemCells(s, guard),
    };
  }

  const context: ResultsContext = {
    findWave, findWaves, modelOf, select, selectWithin, heldTo, enclosingCounts, shown, visibleGroups, textMinimum: minTextGroupSize, compare: (...args) => service.compare(...args),
  };
  const service = {
    modelOf,
    findWave,
    select,
    groupsOf,

    async results(actor: CurrentUser, id: string, rawFilters: string[]) {
      const s = await select(actor, id, rawFilters);
      if (s.tooSmall) return { ...head(s), questions: [] };
      await shown(s.wave);
      const answeredFor = needsAnsweredCount(s.model);
      const counts = countsOf(await repo.distribution(s.wave, s.filters, answeredFor));
      const guard = itemGuard(s.min, await enclosingCounts(s, answeredFor));
      return { ...head(s), questions: questionTables(s.model, counts, s.n, guard) };
    },

    /**
     * Free-text answers to one open question, in random order: only for a selection of at
     * least the text minimum (and its rest in every enclosing selection), and only when the
     * writers' rest is nobody or that minimum too: a text can give its writer away.
     */
    async texts(actor: CurrentUser, id: string, questionName: string, rawFilters: string[]) {
      const selected = await select(actor, id, rawFilters);
      // A Weerman "Welke vragen?" is written for the group's agenda: the same minimum as the summary and the session.
      const s = heldTo(selected, textMinimumFor(selected.wave, selected.model.meta, questionName, minTextGroupSize));
      const question = s.model.byName.get(questionName);
      if (!question || question.kind !== 'text') throw invalid([{ question: 'question', message: t('results.notText', { question: questionName }) }]);
      const about = { name: question.name, title: question.title, panel: question.panel, context: question.context, type: question.type };
      if (s.tooSmall) return { ...head(s), question: about, texts: [] };
      const writers = countsOf(await repo.distribution(s.wave, s.filters, [question.name])).answered(question.name);
      const around = await enclosingCounts(s, [question.name]);
      const aroundWriters = around.map((c) => c.answered(question.name));
      if (!aroundWriters.every((w) => restOk(w, writers, s.min)) || !cellsShown(s.filters.length, writers, aroundWriters, s.min)) {
        return { ...head({ ...s, tooSmall: true }), question: about, texts: [] };
      }
      await shown(s.wave);
      const texts = await repo.texts(s.wave, s.filters, [question.name]);
      return { ...head(s), question: about, texts: texts.map((x) => (x.row ? { row: x.row, text: x.text } : { text: x.text })) };
    },

    /** Every closed item crosstabbed against the answers to `by`, tested, Holm-adjusted. */
    async compare(actor: CurrentUser, id: string, byText: string, rawFilters: string[], extra: Filter[] = [], options: CompareRequestOptions = {}): Promise<CompareResult> {
      const s = await select(actor, id, rawFilters, extra);
      const by = parseItemRef(byText, s.model, 'by');
      if (by.question.kind === 'multi') throw invalid([{ question: 'by', message: t('results.byNotSingle') }]);
      // Groups are the answers of one closed question; a number, a day, an order or a table has none (the pages offer single choices only).
      const what = NOT_GROUPING.get(by.question.kind);
      if (what) throw invalid([{ question: 'by', message: t('results.byNotGroups', { question: by.question.name, what: t(what) }) }]);
      const byRow = by.question.rows.find((r) => r.key === by.row);
      const byJson = { name: by.question.name, row: byRow?.value ?? null, title: byRow?.label ?? by.question.title };
      if (s.tooSmall) return { ...head(s), by: { ...byJson, groups: [], excluded: [] }, items: [] };

      await shown(s.wave);
      const { candidates, visible, sizes, crosstab, guard } = await groupsOf(s, by);
      const groups: Group[] = [];
      const excluded: Excluded[] = [];
      for (const candidate of candidates) {
        const { choice } = candidate;
        if (choice.missing) excluded.push({ value: choice.value, label: choice.label, reason: 'missing-value' });
        // No one, a few, and a group whose rest is a few are one reason: telling them apart would say which.
        else if (!visible.has(candidate)) excluded.push({ value: choice.value, label: choice.label, reason: 'below-minimum' });
        else groups.push({ value: choice.value, key: choice.key, label: choice.label, phrase: t('results.groupPhrase', { label: choice.label }) });
      }
      const specs = itemSpecs(s.model, (spec) => isItem(spec, by.question.name, by.row) || isFixedByFilter(spec, s.filters));
      const items = await compareItems(specs, groups, countsPerGroup(crosstab.cells), s.min, { ...guard, cells: await itemCells(s, guard) },
        { model: s.model, adjust: options.adjust, intervals: options.intervals ?? null });
      return {
        ...head(s),
        by: { ...byJson, groups: groups.map((g) => ({ value: g.value, label: g.label, n: sizes.get(g.key) ?? 0 })), excluded },
        items,
      };
    },

    compareWaves: (actor: CurrentUser, ids: string, rawFilters: string[], options: CompareRequestOptions = {}) => compareWaves(context, repo, actor, ids, rawFilters, options),
    comparePaired: (actor: CurrentUser, ids: string, adjust?: 'holm' | 'bh') => comparePaired(context, repo, actor, ids, adjust),
    series: (actor: CurrentUser, series: string, organisationId?: string) => seriesTrend(context, repo, actor, series, organisationId),
    summary: (actor: CurrentUser, id: string, rawFilters: string[]) => waveSummary(context, repo, actor, id, rawFilters),
    session: (actor: CurrentUser, id: string) => weermanSession(context, repo, actor, id),
  };
  // The entry points wait their turn (read-limits.ts); what they call inside (context) does
  // not, or a summary holding a turn would wait for its own comparisons. Each is one read of
  // the columnar copies: what each count would repeat is done once per request (one-read.ts).
  const limited = <A extends unknown[], R>(work: (actor: CurrentUser, ...args: A) => Promise<R>) =>
    (actor: CurrentUser, ...args: A): Promise<R> => readLimiter.run(actor.id, () => asOneRead(() => work(actor, ...args)));
  /**
   * An entry point of one wave whose answer is kept for the same request at the same version
   * of the wave's answers (read-memo.ts); `keep` says which answers may be. The wave is found
   * (access, seal, state) as always; only its head is taken fresh from it.
   */
  const remembered = <A extends unknown[], R extends { wave: unknown }>(kind: string, work: (actor: CurrentUser, id: string, ...args: A) => Promise<R>, keep: (answer: R) => boolean = () => true) =>
    async (actor: CurrentUser, id: string, ...args: A): Promise<R> => {
      const wave = await findWave(actor, id);
      // The first answer with numbers records the day (shown()): that one is computed.
      if (!memo.enabled || !wave.answersVersion || wave.resultsShownOn === null) return work(actor, id, ...args);
      const version = JSON.stringify([wave.answersVersion.epoch, wave.answersVersion.version, wave.instrumentVersionId, wave.minGroupSize, wave.mode,
        wave.status, wave.opensOn, wave.closesOn, wave.resultsShownOn]);
      const request = JSON.stringify([kind, args]);
      const kept = memo.get(wave.id, version, request) as R | undefined;
      if (kept) return { ...kept, wave: waveJson(wave) };
      const answer = await work(actor, id, ...args);
      if (keep(answer)) {
        // Kept only when no commit added or deleted answers meanwhile: then it was counted from that version alone.
        const after = await repo.waveState(wave.id);
        if (after && after.answers.epoch === wave.answersVersion.epoch && after.answers.version === wave.answersVersion.version) memo.keep(wave.id, version, request, answer);
      }
      return answer;
    };
  return {
    ...service,
    results: limited(remembered('results', service.results)),
    texts: limited(service.texts),
    compare: limited(remembered('compare', service.compare)),
    compareWaves: limited(service.compareWaves),
    series: limited(service.series),
    // The TNO report's only: the Valente summary reads the previous wave too, the Weerman one holds texts in a random order.
    summary: limited(remembered('summary', service.summary, (answer) => answer.kind === 'tno' || answer.kind === null)),
    comparePaired: limited(service.comparePaired),
    session: limited(service.session),
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;

/**
 * Whether the sealer could seal anything of the wave now (the test of sealOne, sealing/sealer.ts):
 * nothing pending, or an open wave with fewer responses waiting than its minimum, is left as it
 * is, and the read need not wait its turn among the sealer's runs.
 */
function sealMayChange(wave: ScopedWave, state: WaveState): boolean {
  if (state.pending === 0 && !state.contacts) return false;
  return dueForSealing({ ...wave, waiting: state.waiting }, dayInNetherlands());
}

function sameFilters(a: readonly Filter[], b: readonly Filter[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

/** Whether a filter's group is among the groups of its question shown within the selection without it (shownGroups, as compare does). */
function amongShown(p: Selection['partitions'][number], model: InstrumentModel, min: number): boolean {
  const question = model.byName.get(p.filter.question)!;
  const known = new Set(question.choices.map((c) => c.key));
  const candidates = [...question.choices.filter((c) => !c.missing).map((c) => c.key), ...[...p.sizes.keys()].filter((k) => !known.has(k))]
    .map((key) => ({ key, n: p.sizes.get(key) ?? 0 }));
  return [...shownGroups(candidates, p.total, min, () => true)].some((g) => g.key === p.filter.value);
}

function isItem(spec: ItemSpec, question: string, row: string): boolean {
  return spec.question.name === question && (spec.row?.key ?? '') === row;
}
