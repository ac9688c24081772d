// GET /api/v1/waves/:id/session and the page /waves/:id/session: the Weerman scan as a
// management team discusses it after each member scored alone (an anonymous wave, the
// instrument's minimum of 3). Per item the spread of current and desired scores, the
// largest gaps, the disagreements and the negative gaps, each with the rule that flags it
// in words, and the "Welke vragen?" de-duplicated as the agenda. The numbers are those of
// the dashboard (summary.ts weermanOf: the same minimum and suppression); this only puts
// them in the order a session needs. The page shows exactly this JSON.
import type { CurrentUser } from '../auth/scope';
import { notFound } from '../http/errors';
import { t } from '../i18n/messages';
import type { ResultsRepository } from './repository';
import type { ResultsContext } from './selection';
import { head } from './selection';
import { weermanOf } from './summary';
import { GAP_MEASURE, WEERMAN_THRESHOLDS, WeermanItemSummary, WeermanView, gapRanking } from './weerman';

/** How many of the largest gaps the session puts first. */
export const LARGEST_GAPS = 5;

export async function weermanSession(ctx: ResultsContext, repo: ResultsRepository, actor: CurrentUser, id: string) {
  const s = await ctx.select(actor, id, []);
  const view = (s.model.meta.views as { weerman?: WeermanView } | undefined)?.weerman;
  if (!view) throw notFound(t('weermanSession.noSession'));
  const base = { ...head(s), instrument: s.wave.instrumentKey, attribution: attributionOf(s.model.meta), rules: sessionRules() };
  if (s.tooSmall) return { ...base, session: null };
  await ctx.shown(s.wave);
  return { ...base, session: sessionOf(await weermanOf(ctx, repo, s, view)) };
}

/** The rules of the session, in the words the page states them (the thresholds are weerman.ts's). */
export function sessionRules() {
  return {
    measure: GAP_MEASURE,
    thresholds: WEERMAN_THRESHOLDS,
    text: {
      measure: t('weermanSession.measureRule'),
      disagreement: t('weermanSession.disagreementRule', { iqr: WEERMAN_THRESHOLDS.disagreementIqr, range: WEERMAN_THRESHOLDS.disagreementRange }),
      negativeGap: t('weermanSession.negativeRule'),
      priority: t('weermanSession.priorityRule', { gap: WEERMAN_THRESHOLDS.priorityGap }),
      agenda: t('weermanSession.agendaRule'),
    },
  };
}

type Summary = Awaited<ReturnType<typeof weermanOf>>;

/** The session's parts from the summary (pure). */
export function sessionOf(summary: Summary) {
  const all = [...summary.items, ...summary.sources];
  const ranking = gapRanking(summary.items);
  return {
    items: all.map(itemJson),
    ranking,
    largestGaps: ranking.filter((r) => r.meanGap > 0).slice(0, LARGEST_GAPS),
    disagreements: all.filter((i) => i.flags?.disagreement).map((i) => ({
      id: i.id, number: i.number, title: i.title, min: i.current.min!, max: i.current.max!, iqr: i.current.iqr!,
    })),
    negativeGaps: all.filter((i) => !i.gap.suppressed && (i.gap.below ?? 0) > 0).map((i) => ({
      id: i.id, number: i.number, title: i.title, participants: i.gap.below!, of: i.gap.n!, meanGap: i.gap.mean!,
    })),
    /** null: the group is too small for free texts (summary.ts agendaMinimum). */
    agenda: all.every((i) => i.questions === null) ? null : agendaOf(all),
  };
}

function itemJson(i: WeermanItemSummary) {
  const side = (m: WeermanItemSummary['current']) => (m.suppressed ? { answered: null, suppressed: true } : {
    answered: m.answered, suppressed: false, median: m.median ?? null, mean: m.mean ?? null, min: m.min ?? null, max: m.max ?? null,
    iqr: m.iqr ?? null, dontKnow: m.dontKnow ?? 0, distribution: m.distribution ?? [],
  });
  return {
    id: i.id, number: i.number, title: i.title, current: side(i.current), desired: side(i.desired),
    gap: i.gap.suppressed ? { n: null, suppressed: true } : {
      n: i.gap.n, suppressed: false, mean: i.gap.mean!, median: i.gap.median!, below: i.gap.below ?? 0, distribution: i.gap.distribution ?? [],
    },
    flags: i.flags,
  };
}

/**
 * "Welke vragen?" of every item, each question once: the same question asked under several
 * items (or by several people) is one agenda point that lists the items. Two texts are the
 * same when they are equal after case, spacing and a final question mark or full stop.
 */
export function agendaOf(items: ReadonlyArray<Pick<WeermanItemSummary, 'id' | 'number' | 'title' | 'questions'>>) {
  const points = new Map<string, { text: string; count: number; items: Array<{ id: string; number: number | null; title: string }> }>();
  for (const item of items) {
    for (const text of item.questions ?? []) {
      const key = sameQuestionKey(text);
      if (key === '') continue;
      const point = points.get(key) ?? { text: text.trim(), count: 0, items: [] };
      point.count++;
      if (!point.items.some((x) => x.id === item.id)) point.items.push({ id: item.id, number: item.number, title: item.title });
      points.set(key, point);
    }
  }
  return [...points.values()];
}

/** Lower case, runs of white space as one space, no trailing "?", "." or "!" (one pass, no regex: texts come from respondents). */
export function sameQuestionKey(text: string): string {
  let out = '';
  let space = false;
  for (const ch of text.trim().toLocaleLowerCase('nl')) {
    const white = ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\u00a0';
    if (white) { space = out !== ''; continue; }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  let end = out.length;
  while (end > 0 && (out[end - 1] === '?' || out[end - 1] === '.' || out[end - 1] === '!' || out[end - 1] === ' ')) end--;
  return out.slice(0, end);
}

/** The instrument's attribution (meta.attribution), printed on every dashboard. */
export function attributionOf(meta: Record<string, unknown>): string | null {
  return typeof meta.attribution === 'string' && meta.attribution.trim() !== '' ? meta.attribution : null;
}
