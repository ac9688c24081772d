// GET /api/v1/waves/:id/summary: the instrument's own view of a wave, named by its
// meta.views: the Weerman gaps, the Valente progress, or the TNO report's tables and
// comparisons. Same selection and suppression rules as the results, with one exception:
// the Valente plan describes the organisation's actions, not people, and one organisation-
// wide dossier is its intended unit, so in a wave with invitations (names known anyway) its
// progress is shown below the minimum group size too. An anonymous Valente wave keeps the rule.
// Every view has `values` beside it: the number and ranking questions of the selection
// (issue 15), exactly as the results API gives them (questionTables, the same item rule);
// a TNO comparison counts and lists their rank tests as the compare API gives them.
import { CurrentUser, scopeOf } from '../auth/scope';
import { t } from '../i18n/messages';
import type { ResultsRepository, ScopedWave } from './repository';
import { parseFilters } from './filters';
import { needsAnsweredCount } from './instrument-model';
import { countsOf } from './tally-index';
import { QuestionJson, questionTables } from './tables';
import { WeermanView, weermanSummary } from './weerman';
import { ActionAnswers, ValenteView, progressChange, valenteSummary } from './valente';
import { TnoGroups, TnoTableView, tnoTable } from './tno';
import { ResultsContext, Selection, head, textMinimumOf, waveJson } from './selection';
import { cellsShown, groupShown, itemGuard, restOk } from './disclosure';
import type { CompareItem } from './crosstabs';

interface TnoView {
  tables: TnoTableView[];
  comparisons: Array<{ title: string; by: string; filter?: string }>;
}

const SIGNIFICANCE = 0.05;

export async function waveSummary(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, id: string, rawFilters: string[]) {
  const s = await ctx.select(actor, id, rawFilters);
  const views = (s.model.meta.views ?? {}) as { weerman?: WeermanView; valente?: ValenteView; tno?: TnoView };
  const base = { ...head(s), instrument: s.wave.instrumentKey };
  if (views.valente) {
    const exempt = s.wave.mode === 'identified';
    if (s.tooSmall && !exempt) return { ...base, kind: 'valente', valente: null };
    await ctx.shown(s.wave);
    const valente = await valenteOf(repo, s, views.valente);
    const previous = await previousWave(repo, actor, s.wave);
    let change = null;
    if (previous) {
      const before = await ctx.select(actor, previous.id, []);
      if (!before.tooSmall || before.wave.mode === 'identified') {
        change = { wave: waveJson(previous), ...progressChange(valente, await valenteOf(repo, before, views.valente)) };
        await ctx.shown(previous); // the change shows the previous wave's numbers too
      }
    }
    return {
      ...base, n: s.n, suppressed: false,
      message: s.tooSmall ? t('results.organisationLevel', { min: s.wave.minGroupSize }) : null,
      // The plan's exemption is for its actions only: people's numbers keep the minimum.
      kind: 'valente', valente: { ...valente, change }, values: s.tooSmall ? [] : await valuesOf(ctx, repo, s),
    };
  }
  if (views.weerman) {
    if (s.tooSmall) return { ...base, kind: 'weerman', weerman: null, values: [] };
    await ctx.shown(s.wave);
    return { ...base, kind: 'weerman', weerman: await weermanOf(ctx, repo, s, views.weerman), values: await valuesOf(ctx, repo, s) };
  }
  if (views.tno) {
    if (s.tooSmall) return { ...base, kind: 'tno', tno: null, values: [] };
    await ctx.shown(s.wave);
    return { ...base, kind: 'tno', tno: await tnoOf(ctx, repo, actor, s, rawFilters, views.tno), values: await valuesOf(ctx, repo, s) };
  }
  if (s.tooSmall) return { ...base, kind: null, values: [] };
  const values = await valuesOf(ctx, repo, s);
  if (values.length > 0) await ctx.shown(s.wave);
  return { ...base, kind: null, values };
}

/**
 * The number and ranking questions of a selection, as the results API shows them (mean,
 * median, quartiles; mean place and first places), under the same item rule (disclosure.ts).
 */
async function valuesOf(ctx: ResultsContext, repo: ResultsRepository, s: Selection): Promise<QuestionJson[]> {
  const isValue = (kind: string) => kind === 'number' || kind === 'ranking';
  if (!s.model.questions.some((q) => isValue(q.kind))) return [];
  const answeredFor = needsAnsweredCount(s.model);
  const counts = countsOf(await repo.distribution(s.wave, s.filters, answeredFor));
  const guard = itemGuard(s.min, await ctx.enclosingCounts(s, answeredFor));
  return questionTables(s.model, counts, s.n, guard).filter((q) => isValue(q.kind));
}

/**
 * The Weerman summary of a selection (the dashboard and the session view, weerman-session.ts):
 * measures and gaps held to the minimum, and the "Welke vragen?" texts where they may be shown.
 */
export async function weermanOf(ctx: ResultsContext, repo: ResultsRepository, s: Selection, view: WeermanView) {
  const measured = [...view.items, ...view.sources];
  const textQuestions = measured.map((i) => i.questions);
  const counts = countsOf(await repo.distribution(s.wave, s.filters, textQuestions));
  const around = await ctx.enclosingCounts(s, textQuestions);
  const gaps = new Map<string, Map<number, number>>();
  const pairs = measured.map((i) => ({ first: i.current, second: i.desired }));
  const pairCount = (rows: Array<{ first: string; respondents: number }>) => {
    const n = new Map<string, number>();
    for (const d of rows) n.set(d.first, (n.get(d.first) ?? 0) + d.respondents);
    return n;
  };
  const differences = await repo.differences(s.wave, s.filters, pairs, view.scale.map(String));
  for (const d of differences) {
    if (!gaps.has(d.first)) gaps.set(d.first, new Map());
    gaps.get(d.first)!.set(d.difference, d.respondents);
  }
  // A gap is counted over those who answered both on the scale: that number, too, must
  // differ from the one in every selection one filter wider by nobody or the minimum.
  const pairsHere = pairCount(differences);
  const aroundPairs = [];
  for (const e of s.enclosing) aroundPairs.push(pairCount(await repo.differences(s.wave, e.filters, pairs, view.scale.map(String))));
  for (const first of [...gaps.keys()]) {
    const here = pairsHere.get(first) ?? 0;
    const around = aroundPairs.map((m) => m.get(first) ?? 0);
    // And every cell of the split by the filters holds nobody or the minimum (disclosure.ts, cellsShown).
    if (!around.every((whole) => restOk(whole, here, s.min)) || !cellsShown(s.filters.length, here, around, s.min)) gaps.delete(first);
  }
  // Free texts: only for a selection of the text minimum, and per question only where the
  // writers' rest around this selection is nobody or that minimum. A question held back
  // shows as one nobody answered.
  let texts: Map<string, string[]> | null = null;
  const min = agendaMinimum(s.wave, view, ctx.textMinimum);
  if (textsAllowedAt(s, min)) {
    const allowed = textQuestions.filter((q) => around.every((c) => restOk(c.answered(q), counts.answered(q), min))
      && cellsShown(s.filters.length, counts.answered(q), around.map((c) => c.answered(q)), min));
    texts = new Map();
    for (const x of await repo.texts(s.wave, s.filters, allowed)) {
      if (!texts.has(x.question)) texts.set(x.question, []);
      texts.get(x.question)!.push(x.text);
    }
  }
  return weermanSummary(view, s.model, counts, gaps, texts, s.min, itemGuard(s.min, around));
}

/**
 * The smallest group whose "Welke vragen?" are shown. Free texts wait for the text minimum
 * (selection.ts); but an instrument whose texts are questions written for the group's own
 * agenda, and whose form says so (meta.views.weerman.agendaForGroup), shows them from the
 * wave's minimum: a 4-person MT that scores anonymously first still gets its agenda.
 */
export function agendaMinimum(wave: { mode: string; minGroupSize: number }, view: WeermanView, textMinimum: number): number {
  return view.agendaForGroup === true ? wave.minGroupSize : textMinimumOf(wave, textMinimum);
}

/** The minimum for one free-text question: the agenda minimum for a Weerman "Welke vragen?", else the text minimum. */
export function textMinimumFor(wave: { mode: string; minGroupSize: number }, meta: Record<string, unknown>, question: string, textMinimum: number): number {
  const view = (meta.views as { weerman?: WeermanView } | undefined)?.weerman;
  const agenda = view && [...view.items, ...view.sources].some((i) => i.questions === question);
  return agenda ? agendaMinimum(wave, view, textMinimum) : textMinimumOf(wave, textMinimum);
}

/** Whether the free texts of a selection may be shown at this minimum: it and its rest in every enclosing selection hold it. */
function textsAllowedAt(s: Selection, min: number): boolean {
  const around = s.enclosing.map((e) => e.n);
  return s.filters.length === 0 ? s.n >= min : groupShown(s.n, around, min) && cellsShown(s.filters.length, s.n, around, min);
}

async function valenteOf(repo: ResultsRepository, s: Selection, view: ValenteView) {
  const answers = new Map<string, ActionAnswers>();
  for (const action of view.steps.flatMap((step) => step.actions)) {
    const rows = await repo.jointCounts(s.wave, s.filters, action.status, action.decision);
    answers.set(action.id, rows.map((r) => ({ status: r.first, decision: r.second, respondents: r.respondents })));
  }
  return valenteSummary(view, s.model, answers, countsOf(await repo.distribution(s.wave, s.filters, [])));
}

/** The wave before this one in its series (same organisation and instrument), if any. */
async function previousWave(repo: ResultsRepository, actor: CurrentUser, wave: ScopedWave): Promise<ScopedWave | null> {
  if (!wave.series) return null;
  const waves = (await repo.seriesWaves(scopeOf(actor), wave.organisationId, wave.series)).filter((w) => w.instrumentKey === wave.instrumentKey);
  const index = waves.findIndex((w) => w.id === wave.id);
  return index > 0 ? waves[index - 1] : null;
}

async function tnoOf(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, s: Selection, rawFilters: string[], view: TnoView) {
  const answeredFor = needsAnsweredCount(s.model);
  const counts = countsOf(await repo.distribution(s.wave, s.filters, answeredFor));
  const shown = itemGuard(s.min, await ctx.enclosingCounts(s, answeredFor));
  const tables = [];
  for (const table of view.tables) {
    let groups: TnoGroups | undefined;
    const byQuestion = table.by ? s.model.byName.get(table.by) : undefined;
    if (byQuestion) {
      // The same groups a comparison by this question shows (the complement rule included).
      const { sizes, counts: perGroup, around, cells } = await ctx.visibleGroups(s, byQuestion);
      groups = { question: byQuestion, sizes, counts: perGroup, around, cells };
    }
    const built = tnoTable(table, s.model, counts, s.n, s.min, shown, groups);
    if (built) tables.push(built);
  }
  const comparisons = [];
  for (const c of view.comparisons) {
    const extra = c.filter ? parseFilters([c.filter], s.model) : [];
    const result = await ctx.compare(actor, s.wave.id, c.by, rawFilters, extra);
    // Numbers and ranked choices are tested by a rank test (rankTest), the others by `test`.
    const testOf = (i: CompareItem) => i.test ?? i.rankTest ?? null;
    const tested = result.items.filter((i) => testOf(i) !== null);
    comparisons.push({
      title: c.title, by: c.by, filter: c.filter ?? null, n: result.n, suppressed: result.suppressed, message: result.message,
      groups: result.by.groups, excluded: result.by.excluded, tested: tested.length,
      significant: tested.filter((i) => testOf(i)!.pAdjusted < SIGNIFICANCE).map((i) => ({
        name: i.name, row: i.row ?? null, choice: i.choice ?? null, title: i.title,
        method: testOf(i)!.method, p: testOf(i)!.p, pAdjusted: testOf(i)!.pAdjusted, text: testOf(i)!.text, sentence: i.sentence,
      })),
      // Per shown group their summary and the test, as the compare API gives them (groups held to its rules).
      values: result.items.filter((i) => i.numbers || i.ranks).map((i) => ({
        name: i.name, ...(i.choice !== undefined ? { choice: i.choice } : {}), title: i.title, questionTitle: i.questionTitle, context: i.context, type: i.type,
        groups: i.groups, groupLabels: i.groupLabels, excludedGroups: i.excludedGroups,
        ...(i.numbers ? { numbers: i.numbers } : {}), ...(i.ranks ? { ranks: i.ranks } : {}),
        rankTest: i.rankTest ?? null, reason: i.reason, sentence: i.sentence,
      })),
    });
  }
  return { tables, comparisons };
}
