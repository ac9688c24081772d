// The dashboards: results of a wave, comparisons, the instrument's own view and a series
// over the years. Every number comes from the results service (the same JSON as the API);
// the pages only lay it out, as tables first and charts beside them.
import { Router, Request } from 'express';
import type { ResultsService } from '../results/service';
import type { WaveService } from '../waves/service';
import type { AuthService } from '../auth/service';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { allow } from '../auth/middleware';
import { roundHalfUp, formatNumberNl } from '../stats';
import { t } from '../i18n/messages';
import { compareChart, questionChart, trendChart, valenteChart, weermanChart } from './charts';
import { missingValuesOf } from '../survey/model';

/** The missing values every instrument has (the pages see results JSON, not the instrument's meta). */
const DEFAULT_MISSING = missingValuesOf(undefined);

interface Deps { results: ResultsService; waves: WaveService; auth: AuthService; instruments: InstrumentCatalogue }

/** Filters from the query string (repeatable); empty selections from the form are ignored. */
function filtersOf(req: Request): string[] {
  const raw = req.query.filter;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map(String).filter((f) => f.trim() !== '').slice(0, 10);
}

const todayNl = () => new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(new Date());

export function resultsPages({ results, waves, auth, instruments }: Deps): Router {
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
      },
    };
  }

  /** Closed single-choice questions, as `name:value` filter choices. */
  const filterChoices = (questions: Array<{ name: string; title: string; kind: string; options: Array<{ value: unknown; label: string }> }>) =>
    questions.filter((q) => q.kind === 'single').map((q) => ({
      title: q.title, options: q.options.filter((o) => !DEFAULT_MISSING.has(String(o.value))).map((o) => ({ value: `${q.name}:${String(o.value)}`, label: o.label })),
    }));

  router.get('/waves/:id/results', allow('results.read'), async (req, res) => {
    const filters = filtersOf(req);
    const data = await results.results(req.user!, String(req.params.id), filters);
    const unfiltered = filters.length ? await results.results(req.user!, String(req.params.id), []) : data;
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    res.render('results/wave', {
      title: `${t('dashboard.results')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'results',
      data, filters, filterChoices: filterChoices(unfiltered.questions), charts: data.questions.map(questionChart), roundHalfUp,
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
    const filters = filtersOf(req);
    const unfiltered = await results.results(req.user!, String(req.params.id), []);
    const byChoices = unfiltered.questions.filter((q: { kind: string }) => q.kind === 'single').map((q: { name: string; title: string }) => ({ value: q.name, label: q.title }));
    const by = typeof req.query.by === 'string' && req.query.by ? req.query.by : byChoices[0]?.value;
    const data = by ? await results.compare(req.user!, String(req.params.id), by, filters) : null;
    const { wave, titleBlock } = await frame(req, data && !data.suppressed ? data.n : null);
    res.render('results/compare', {
      title: `${t('dashboard.compare')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'compare',
      data, by, byChoices, filters, filterChoices: filterChoices(unfiltered.questions),
      charts: data ? data.items.map((item: Parameters<typeof compareChart>[0]) => compareChart(item)) : [], formatNumberNl, roundHalfUp,
    });
  });

  router.get('/waves/:id/summary', allow('results.read'), async (req, res) => {
    const filters = filtersOf(req);
    const data = (await results.summary(req.user!, String(req.params.id), filters)) as unknown as SummaryView;
    const { wave, titleBlock } = await frame(req, data.suppressed ? null : data.n);
    const locals = { title: `${t('dashboard.summary')}: ${wave.label}`, titleBlock, waveId: wave.id, series: wave.series, active: 'summary', data, filters, formatNumberNl, roundHalfUp };
    if (data.kind === 'weerman') {
      const weerman = data.weerman;
      return res.render('results/weerman', {
        ...locals,
        charts: weerman ? [weermanChart(weerman.items, t('dashboard.weerman.chart')), weermanChart(weerman.sources, t('dashboard.weerman.sourcesChart'))] : [],
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

  router.get('/series/:series', allow('results.read'), async (req, res) => {
    const organisationId = typeof req.query.organisationId === 'string' ? req.query.organisationId : undefined;
    const data = await results.series(req.user!, String(req.params.series), organisationId);
    const waveLabels = data.waves.map((w: { label: string }) => w.label);
    const charts = data.waves.length >= 3 ? data.items.map((item: SeriesItem) => trendChart(item.title, waveLabels,
      (item.waves[0]?.options ?? []).map((o, index) => ({ label: o.label, percents: item.waves.map((w) => (w.suppressed ? null : w.options[index]?.percent ?? null)) })))) : [];
    res.render('results/series', { title: `${t('dashboard.series')}: ${data.series}`, data, charts, formatNumberNl, roundHalfUp, date: todayNl() });
  });

  return router;
}

/** The parts of the summary JSON the instrument views read (docs/api-results.md has all of it). */
interface SummaryView {
  kind: string;
  n: number | null;
  suppressed: boolean;
  weerman?: { items: Parameters<typeof weermanChart>[0]; sources: Parameters<typeof weermanChart>[0] } | null;
  valente?: { steps: Array<{ number: number; title: string; progress: number | null }>; change?: unknown } | null;
  tno?: unknown;
}

interface SeriesItem { title: string; waves: Array<{ suppressed: boolean; options: Array<{ label: string; percent?: number }> }> }
