// The dashboards: results of a wave, comparisons, the instrument's own view and a series
// over the years. Every number comes from the results service (the same JSON as the API);
// the pages only lay it out, as tables first and charts beside them.
import { Router, Request, Response } from 'express';
import type { ResultsService } from '../results/service';
import type { WaveService } from '../waves/service';
import type { AuthService } from '../auth/service';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { BenchmarkService } from '../benchmarks/service';
import { AppError, notFound } from '../http/errors';
import { allow } from '../auth/middleware';
import { formatNumberNl, formatPValue, roundHalfUp, roundShare, roundedPercent, roundedPercentsAddUp } from '../stats';
import { DEMO_ORGANISATION } from '../demo/demo';
import { t } from '../i18n/messages';
import { titleInContext } from '../results/instrument-model';
import { attributionOf } from '../results/weerman-session';
import { compareChart, questionChart, trendChart, valenteChart, weermanChart } from './charts';
import { missingValuesOf } from '../survey/model';

/** The missing values every instrument has (the pages see results JSON, not the instrument's meta). */
const DEFAULT_MISSING = missingValuesOf(undefined);

interface Deps { results: ResultsService; waves: WaveService; auth: AuthService; instruments: InstrumentCatalogue; benchmarks?: BenchmarkService }

/** Filters from the query string (repeatable); empty selections from the form are ignored. */
function filtersOf(req: Request): string[] {
  const raw = req.query.filter;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map(String).filter((f) => f.trim() !== '').slice(0, 10);
}

const todayNl = () => new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(new Date());

export function resultsPages({ results, waves, auth, instruments, benchmarks }: Deps): Router {
  const router = Router();

  /** What every dashboard page needs: the wave, the title block, the filter choices. */
  async function frame(req: Request, n: number | null) {
    const wave = await waves.get(req.user!, String(req.params.id));
    const organisation = (await auth.listOrganisations(req.user!)).find((o) => o.id === wave.organisationId);
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    return {
      wave,
      titleBlock: {
        organisation: organisation?.name ?? '', wave: wave.label, instrument: instrument?.title ?? wave.instrumentKey,
        version: wave.instrumentVersion, n, date: todayNl(), minGroupSize: wave.minGroupSize, organisationId: wave.organisationId,
        // The demo's answers are made up: every page of it says so (issue 14).
        synthetic: organisation?.name === DEMO_ORGANISATION,
        attribution: instrument ? attributionOf(instrument.meta) : null,
        // A wave in a network benchmark has a tab with its own result beside the network's.
        benchmark: benchmarks ? await benchmarks.isJoined(req.user!, wave) : false,
      },
    };
  }

  /** Closed single-choice questions, as `name:value` filter choices. */
  const filterChoices = (questions: Array<{ name: string; title: string; context: string | null; kind: string; options: Array<{ value: unknown; label: string }> }>) =>
    questions.filter((q) => q.kind === 'single').map((q) => ({
      title: titleInContext(q.context, q.title), options: q.options.filter((o) => !DEFAULT_MISSING.has(String(o.value))).map((o) => ({ value: `${q.name}:${String(o.value)}`, label: o.label })),
    }));

  /** A team wave's dashboard is its shared record (server/team-records/): its pages say it is not anonymous. */
  async function teamWaveLeadsToPlan(req: Request, res: Response): Promise<boolean> {
    const wave = await waves.get(req.user!, String(req.params.id));
    if (wave.mode !== 'team') return false;
    res.redirect(303, `/waves/${wave.id}/plan`);
    return true;
  }

  router.get('/waves/:id/results', allow('results.read'), async (req, res) => {
    if (await teamWaveLeadsToPlan(req, res)) return;
    const filters = filtersOf(req);
    const data = await results.results(req.user!, String(req.params.id), filters);
    const unfiltered = filters.length ? await results.results(req.user!, String(req.params.id), []) : data;
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    res.render('results/wave', {
      title: `${t('dashboard.results')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'results',
      data, filters, filterChoices: filterChoices(unfiltered.questions), charts: data.questions.map(questionChart), roundShare, roundedPercent, roundedPercentsAddUp, formatPValue, formatNumberNl,
    });
  });

  router.get('/waves/:id/texts', allow('results.read'), async (req, res) => {
    const filters = filtersOf(req);
    const question = String(req.query.question ?? '');
    const data = await results.texts(req.user!, String(req.params.id), question, filters);
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    res.set('Cache-Control', 'no-store');
    res.render('results/texts', { title: `${t('dashboard.texts')}: ${data.question.title}`, titleBlock, waveId: wave.id, series: wave.series, active: 'results', data, filters });
  });

  router.get('/waves/:id/compare', allow('results.read'), async (req, res) => {
    if (await teamWaveLeadsToPlan(req, res)) return;
    const filters = filtersOf(req);
    const unfiltered = await results.results(req.user!, String(req.params.id), []);
    const byChoices = unfiltered.questions.filter((q) => q.kind === 'single').map((q) => ({ value: q.name, label: titleInContext(q.context, q.title) }));
    const by = typeof req.query.by === 'string' && req.query.by ? req.query.by : byChoices[0]?.value;
    // Holm unless Benjamini-Hochberg is chosen; Wilson intervals when asked for. Anything else is the default.
    const adjust = req.query.adjust === 'bh' ? 'bh' : 'holm';
    const intervals = req.query.intervals === 'wilson' ? 'wilson' : undefined;
    const data = by ? await results.compare(req.user!, String(req.params.id), by, filters, [], { adjust, intervals }) : null;
    const { wave, titleBlock } = await frame(req, data && !data.suppressed ? data.n : null);
    res.render('results/compare', {
      title: `${t('dashboard.compare')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'compare',
      data, by, byChoices, filters, filterChoices: filterChoices(unfiltered.questions), adjust, intervals,
      charts: data ? data.items.map((item: Parameters<typeof compareChart>[0]) => compareChart(item)) : [], formatNumberNl, roundShare, roundedPercent, roundedPercentsAddUp, formatPValue,
    });
  });

  router.get('/waves/:id/summary', allow('results.read'), async (req, res) => {
    if (await teamWaveLeadsToPlan(req, res)) return;
    const filters = filtersOf(req);
    const data = (await results.summary(req.user!, String(req.params.id), filters)) as unknown as SummaryView;
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    const locals = { title: `${t('dashboard.summary')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'summary', data, filters, formatNumberNl, roundShare, roundedPercent, roundedPercentsAddUp, formatPValue };
    if (data.kind === 'weerman') {
      const weerman = data.weerman;
      return res.render('results/weerman', {
        ...locals,
        charts: weerman ? [weermanChart(weerman.ranking, t('dashboard.weerman.gapChart')), weermanChart(weerman.sourcesRanking, t('dashboard.weerman.sourcesGapChart'))] : [],
      });
    }
    if (data.kind === 'valente') {
      const valente = data.valente;
      const change = valente?.change as { steps: Array<{ number: number; change: number | null }> } | null | undefined;
      const previous = change && valente ? valente.steps.map((s: { number: number; progress: number | null }) => {
        const delta = change.steps.find((c) => c.number === s.number)?.change ?? null;
        return { number: s.number, progress: s.progress === null || delta === null ? null : s.progress - delta };
      }) : undefined;
      return res.render('results/valente', { ...locals, chart: valente ? valenteChart(valente.steps, previous) : null });
    }
    if (data.kind === 'tno') return res.render('results/tno', locals);
    res.redirect(303, `/waves/${wave.id}/results`);
  });

  // The running title of a printed report, as a CSS page-margin box (views/results/_print-running.ejs).
  // Every character but letters, digits and spaces is a CSS escape, so the text cannot end the string.
  router.get('/print/running.css', allow('results.read'), (req, res) => {
    const text = typeof req.query.text === 'string' ? req.query.text.slice(0, 400) : '';
    res.type('text/css').set('Cache-Control', 'no-store')
      .send(`@media print { @page { @top-left { content: "${cssEscape(text)}"; font-size: 8pt; color: #444; } } }\n`);
  });

  // The Weerman scan for the projector in the team's session: no staff chrome, large type.
  router.get('/waves/:id/session', allow('results.read'), async (req, res) => {
    const data = await results.session(req.user!, String(req.params.id));
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    const session = data.session;
    res.set('Cache-Control', 'no-store');
    res.render('results/session', {
      title: `${t('weermanSession.title')}: ${wave.label}`, titleBlock, waveId: wave.id, data, formatNumberNl, roundHalfUp,
      chart: session ? weermanChart(session.ranking, t('weermanSession.gapChart')) : null,
      agreements: await agreementsLink(req, wave),
    });
  });

  /**
   * Where the team records what it agreed: the team wave of the same instrument in the same
   * series if there is one, else the new-wave form filled in for one (mode "team").
   */
  async function agreementsLink(req: Request, wave: { id: string; label: string; instrumentKey: string; series: string | null }) {
    if (wave.series) {
      const team = (await waves.list(req.user!)).find((w) => String(w.mode) === 'team' && w.series === wave.series && w.instrumentKey === wave.instrumentKey);
      if (team) return { href: `/waves/${team.id}`, existing: true };
    }
    const query = new URLSearchParams({ instrument: wave.instrumentKey, mode: 'team', label: t('weermanSession.agreementsLabel', { label: wave.label }) });
    if (wave.series) query.set('series', wave.series);
    return { href: `/waves/new?${query.toString()}`, existing: false };
  }

  // The wave's own result beside the network minus itself, with the test and the quartile.
  router.get('/waves/:id/benchmark', allow('benchmark.read'), async (req, res) => {
    if (!benchmarks) throw notFound();
    const { wave, titleBlock } = await frame(req, null);
    let data = null;
    try {
      data = await benchmarks.waveBenchmark(req.user!, wave.id);
    } catch (err) {
      // Not (or no longer) in a benchmark: the page says so, and where to join one.
      if (!(err instanceof AppError) || err.status !== 409) throw err;
    }
    res.render('results/benchmark', {
      title: `${t('benchmarks.benchmarkTitle')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'benchmark',
      data, roundShare, roundedPercentsAddUp, formatPValue,
    });
  });

  router.get('/series/:series', allow('results.read'), async (req, res) => {
    const organisationId = typeof req.query.organisationId === 'string' ? req.query.organisationId : undefined;
    const data = await results.series(req.user!, String(req.params.series), organisationId);
    const waveLabels = data.waves.map((w: { label: string }) => w.label);
    const trends = data.waves.length >= 3;
    const charts = trends ? data.items.map((item: SeriesItem) => trendChart(titleInContext(item.context, item.title), waveLabels,
      (item.waves[0]?.options ?? []).map((o, index) => ({ label: o.label, percents: item.waves.map((w) => (w.suppressed ? null : w.options[index]?.percent ?? null)) })))) : [];
    // A panel: the last two identified waves of the series, the same people before and after.
    const identified = data.waves.filter((w: { mode: string }) => w.mode === 'identified');
    const paired = identified.length >= 2
      ? await results.comparePaired(req.user!, identified.slice(-2).map((w: { id: string }) => w.id).join(',')) : null;
    const blocks = seriesBlocks(data.items as SeriesItem[], charts, trends ? waveLabels : null);
    const instrument = await instruments.latest(data.instrument);
    res.render('results/series', {
      title: `${t('dashboard.series')}: ${data.series}`, data, blocks, paired, formatNumberNl, roundShare, roundedPercent, roundedPercentsAddUp, formatPValue, date: todayNl(),
      attribution: instrument ? attributionOf(instrument.meta) : null,
    });
  });

  return router;
}

/** The parts of the summary JSON the instrument views read (docs/api-results.md has all of it). */
interface SummaryView {
  kind: string;
  n: number | null;
  suppressed: boolean;
  weerman?: { ranking: Parameters<typeof weermanChart>[0]; sourcesRanking: Parameters<typeof weermanChart>[0] } | null;
  valente?: { steps: Array<{ number: number; title: string; progress: number | null }>; change?: unknown } | null;
  tno?: unknown;
}

interface SeriesItem { name: string; choice?: unknown; questionTitle: string; panel: string | null; title: string; context: string | null; waves: Array<{ suppressed: boolean; options: Array<{ label: string; percent?: number }> }> }

type SeriesBlock =
  | { kind: 'item'; item: SeriesItem; chart: ReturnType<typeof trendChart> | null }
  | { kind: 'choices'; name: string; title: string; context: string | null; items: SeriesItem[]; chart: ReturnType<typeof trendChart> | null };

/**
 * The series report's sections: one per item, except that the choices of one tick-box
 * question share one table (a row per choice, the share that ticked it per wave) and one
 * chart, instead of a table each: the report stays short enough to print for a board.
 */
function seriesBlocks(items: SeriesItem[], charts: Array<ReturnType<typeof trendChart> | null>, waveLabels: string[] | null): SeriesBlock[] {
  const blocks: SeriesBlock[] = [];
  items.forEach((item, index) => {
    const last = blocks[blocks.length - 1];
    if (item.choice === undefined) { blocks.push({ kind: 'item', item, chart: charts[index] ?? null }); return; }
    if (last?.kind === 'choices' && last.name === item.name) last.items.push(item);
    else blocks.push({ kind: 'choices', name: item.name, title: item.questionTitle, context: item.panel, items: [item], chart: null });
  });
  for (const block of blocks) {
    if (block.kind !== 'choices' || !waveLabels) continue;
    block.chart = trendChart(titleInContext(block.context, block.title), waveLabels, block.items.map((item) => ({
      label: item.title, percents: item.waves.map((w) => (w.suppressed ? null : w.options[0]?.percent ?? null)),
    })));
  }
  return blocks;
}

/** Text as the inside of a CSS string: letters, digits and spaces as they are, anything else as a hex escape. */
export function cssEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const plain = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 32;
    out += plain ? ch : `\\${code.toString(16)} `;
  }
  return out;
}
