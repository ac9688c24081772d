// Chart specifications for the dashboards, built from the results API's JSON. The page
// script (public/js/dashboard.js) turns a spec into a Chart.js chart; the table beside it
// carries the same numbers for screen readers and for print. Every label comes from the
// message catalogue.
import { t } from '../i18n/messages';
import { titleInContext } from '../results/instrument-model';
import { isSubstantive } from '../survey/model';

export interface ChartSpec {
  kind: 'diverging' | 'bars' | 'columns' | 'dumbbell' | 'progress' | 'trend' | 'gaps';
  title: string;
  /** A label that is an array is drawn as lines (wrapLabel). */
  labels: Array<string | string[]>;
  /** Gaps: per bar what its colour means (negative, priority or normal). */
  flags?: Array<'negative' | 'priority' | 'normal'>;
  series: Array<{ label: string; values: Array<number | null>; colour?: string }>;
  unit?: '%';
  min?: number;
  max?: number;
  /** Dumbbell: the label of the bar between the two points. */
  rangeLabel?: string;
}

interface Option { value: unknown; label: string; count?: number; percent?: number; percentOfMentions?: number }
interface Question { title: string; context?: string | null; kind: string; suppressed: boolean; options: Option[]; rows?: Array<{ title: string; suppressed: boolean; options: Option[] }> }

const SUBSTANTIVE = (o: Option) => isSubstantive(o.value);

/** Likert matrices as diverging stacked bars, single choice as bars, multi-select as two bars per choice. */
export function questionChart(question: Question): ChartSpec | null {
  if (question.suppressed) return null;
  if (question.kind === 'matrix' && question.rows) {
    const rows = question.rows.filter((r) => !r.suppressed);
    if (rows.length === 0) return null;
    const categories = question.options.filter(SUBSTANTIVE);
    return {
      kind: 'diverging', title: titleInContext(question.context ?? null, question.title), unit: '%',
      labels: rows.map((r) => wrapLabel(r.title)),
      series: categories.map((c) => ({
        label: c.label,
        values: rows.map((r) => r.options.find((o) => o.value === c.value)?.percent ?? 0),
      })),
    };
  }
  if (question.kind === 'single') {
    return { kind: 'bars', title: titleInContext(question.context ?? null, question.title), unit: '%', labels: question.options.map((o) => o.label), series: [{ label: t('dashboard.percentage'), values: question.options.map((o) => o.percent ?? 0) }] };
  }
  if (question.kind === 'multi') {
    return {
      kind: 'bars', title: titleInContext(question.context ?? null, question.title), unit: '%', labels: question.options.map((o) => o.label),
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
export function compareChart(item: { title: string; context?: string | null; type: string; groupLabels: string[]; categoryLabels: string[]; rowPercents?: number[][] }): ChartSpec | null {
  if (!item.rowPercents) return null;
  const scale = item.type === 'matrix' || item.type === 'rating';
  return {
    kind: scale && item.categoryLabels.length >= 4 ? 'diverging' : 'bars', title: titleInContext(item.context ?? null, item.title), unit: '%', labels: item.groupLabels.map((l) => wrapLabel(l)),
    series: item.categoryLabels.map((label, c) => ({ label, values: item.rowPercents!.map((row) => row[c]) })),
  };
}

interface RankedGap { number: number | null; title: string; meanGap: number; priority: boolean; negative: boolean }

/**
 * The Weerman gaps as horizontal bars, in the order of the ranking table beside it (the same
 * list, server/results/weerman.ts gapRanking): one measure, one order. A negative gap
 * (desired below current) has a colour of its own, as has a priority.
 */
export function weermanChart(ranking: RankedGap[], title: string): ChartSpec {
  return {
    kind: 'gaps', title, min: -4, max: 4,
    labels: ranking.map((r) => wrapLabel(r.number ? `${r.number}. ${r.title}` : r.title)),
    series: [{ label: t('dashboard.weerman.gap'), values: ranking.map((r) => r.meanGap) }],
    flags: ranking.map((r) => (r.negative ? 'negative' : r.priority ? 'priority' : 'normal')),
  };
}

/**
 * A long label as lines of at most `width` characters (Chart.js draws an array as lines), so
 * that an axis never cuts it off on A4: the item number at its start stays readable.
 */
export function wrapLabel(text: string, width = 38): string | string[] {
  if (text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function valenteChart(steps: Array<{ number: number; title: string; progress: number | null }>, previous?: Array<{ number: number; progress: number | null }>): ChartSpec {
  const series: ChartSpec['series'] = [{ label: t('dashboard.charts.progress'), values: steps.map((s) => s.progress), colour: '#1b4f72' }];
  if (previous) series.unshift({ label: t('dashboard.charts.previousWave'), values: steps.map((s) => previous.find((p) => p.number === s.number)?.progress ?? null), colour: '#b8b8b8' });
  return { kind: 'progress', title: t('dashboard.charts.progressPerStep'), unit: '%', labels: steps.map((s) => wrapLabel(t('dashboard.charts.step', { number: s.number, title: s.title }))), series };
}

/** One line per answer category across the waves of a series. */
export function trendChart(title: string, waveLabels: string[], categories: Array<{ label: string; percents: Array<number | null> }>): ChartSpec {
  return { kind: 'trend', title, unit: '%', labels: waveLabels, series: categories.map((c) => ({ label: c.label, values: c.percents })) };
}
