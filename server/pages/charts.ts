// Chart specifications for the dashboards, built from the results API's JSON. The page
// script (public/js/dashboard.js) turns a spec into a Chart.js chart; the table beside it
// carries the same numbers for screen readers and for print. Every label comes from the
// message catalogue.
import { t } from '../i18n/messages';
import { isSubstantive } from '../survey/model';

export interface ChartSpec {
  kind: 'diverging' | 'bars' | 'columns' | 'dumbbell' | 'progress' | 'trend';
  title: string;
  labels: string[];
  series: Array<{ label: string; values: Array<number | null>; colour?: string }>;
  unit?: '%';
  min?: number;
  max?: number;
  /** Dumbbell: the label of the bar between the two points. */
  rangeLabel?: string;
}

interface Option { value: unknown; label: string; count?: number; percent?: number; percentOfMentions?: number }
interface Question { title: string; kind: string; suppressed: boolean; options: Option[]; rows?: Array<{ title: string; suppressed: boolean; options: Option[] }> }

const SUBSTANTIVE = (o: Option) => isSubstantive(o.value);

/** Likert matrices as diverging stacked bars, single choice as bars, multi-select as two bars per choice. */
export function questionChart(question: Question): ChartSpec | null {
  if (question.suppressed) return null;
  if (question.kind === 'matrix' && question.rows) {
    const rows = question.rows.filter((r) => !r.suppressed);
    if (rows.length === 0) return null;
    const categories = question.options.filter(SUBSTANTIVE);
    return {
      kind: 'diverging', title: question.title, unit: '%',
      labels: rows.map((r) => r.title),
      series: categories.map((c) => ({
        label: c.label,
        values: rows.map((r) => r.options.find((o) => o.value === c.value)?.percent ?? 0),
      })),
    };
  }
  if (question.kind === 'single') {
    return { kind: 'bars', title: question.title, unit: '%', labels: question.options.map((o) => o.label), series: [{ label: t('dashboard.percentage'), values: question.options.map((o) => o.percent ?? 0) }] };
  }
  if (question.kind === 'multi') {
    return {
      kind: 'bars', title: question.title, unit: '%', labels: question.options.map((o) => o.label),
      series: [
        { label: t('dashboard.percentOfRespondents'), values: question.options.map((o) => o.percent ?? 0), colour: '#1b4f72' },
        { label: t('dashboard.percentOfMentions'), values: question.options.map((o) => o.percentOfMentions ?? 0), colour: '#d0743c' },
      ],
    };
  }
  return null;
}

/**
 * Row percentages per group, as stacked bars (one bar per group). Only a scale (a matrix
 * row or a rating) is drawn diverging, agreeing against disagreeing: the choices of
 * another question (sectors, say) have no sides.
 */
export function compareChart(item: { title: string; type: string; groupLabels: string[]; categoryLabels: string[]; rowPercents?: number[][] }): ChartSpec | null {
  if (!item.rowPercents) return null;
  const scale = item.type === 'matrix' || item.type === 'rating';
  return {
    kind: scale && item.categoryLabels.length >= 4 ? 'diverging' : 'bars', title: item.title, unit: '%', labels: item.groupLabels,
    series: item.categoryLabels.map((label, c) => ({ label, values: item.rowPercents!.map((row) => row[c]) })),
  };
}

interface WeermanItem { title: string; number: number | null; current: { median: number | null; suppressed: boolean }; desired: { median: number | null; suppressed: boolean } }

/** Current against desired per item (medians on the 0-4 scale), largest gap first. */
export function weermanChart(items: WeermanItem[], title: string): ChartSpec {
  const shown = items.filter((i) => !i.current.suppressed && !i.desired.suppressed && i.current.median !== null && i.desired.median !== null)
    .sort((a, b) => (b.desired.median! - b.current.median!) - (a.desired.median! - a.current.median!));
  return {
    kind: 'dumbbell', title, min: 0, max: 4, rangeLabel: t('dashboard.charts.difference'),
    labels: shown.map((i) => (i.number ? `${i.number}. ${i.title}` : i.title)),
    series: [
      { label: t('dashboard.charts.currentMedian'), values: shown.map((i) => i.current.median) },
      { label: t('dashboard.charts.desiredMedian'), values: shown.map((i) => i.desired.median) },
    ],
  };
}

export function valenteChart(steps: Array<{ number: number; title: string; progress: number | null }>, previous?: Array<{ number: number; progress: number | null }>): ChartSpec {
  const series: ChartSpec['series'] = [{ label: t('dashboard.charts.progress'), values: steps.map((s) => s.progress), colour: '#1b4f72' }];
  if (previous) series.unshift({ label: t('dashboard.charts.previousWave'), values: steps.map((s) => previous.find((p) => p.number === s.number)?.progress ?? null), colour: '#b8b8b8' });
  return { kind: 'progress', title: t('dashboard.charts.progressPerStep'), unit: '%', labels: steps.map((s) => t('dashboard.charts.step', { number: s.number, title: s.title })), series };
}

/** One line per answer category across the waves of a series. */
export function trendChart(title: string, waveLabels: string[], categories: Array<{ label: string; percents: Array<number | null> }>): ChartSpec {
  return { kind: 'trend', title, unit: '%', labels: waveLabels, series: categories.map((c) => ({ label: c.label, values: c.percents })) };
}
