// The Valente six-step plan summary (pure), per weerman-valente.md §4.2: an action scores
// 0, ⅓, ⅔ or 1 by its status (meta.views.valente.statusScores); "niet van toepassing" is
// left out; a decision "Besloten: niet" (which requires a motivation) counts as done (1),
// because the instrument is about a well-founded choice. An action without a status counts
// as not started (0): progress should not rise because a line was left empty. With several
// respondents an action's score is the mean over them. A step's progress is the mean of
// its applicable actions; the overall progress the mean of the steps (each step weighs the
// same), with the mean over all actions beside it.
import type { InstrumentModel } from './instrument-model';
import type { Counts } from './tally-index';

export interface ValenteView {
  statusScores: Record<string, number>;
  notApplicable: string;
  steps: Array<{ number: number; title: string; actions: ValenteAction[] }>;
}

interface ValenteAction {
  id: string;
  number: number;
  text: string;
  status: string;
  decision: string | null;
  coreTasks?: string;
}

/** Respondents per combination of status and decision answers of one action (null: not answered). */
export type ActionAnswers = ReadonlyArray<{ status: string | null; decision: string | null; respondents: number }>;

const DECIDED_NOT = 'niet';
const DECIDED_YES = 'wel';
const REALISED = 'gerealiseerd';

export interface ValenteProgress {
  overall: number | null;
  actionWeighted: number | null;
  steps: Array<{ number: number; progress: number | null }>;
}

export function valenteSummary(view: ValenteView, model: InstrumentModel, answers: ReadonlyMap<string, ActionAnswers>, counts: Counts) {
  const label = (question: string, value: string | null) =>
    value === null ? null : model.byName.get(question)?.choices.find((c) => c.key === value)?.label ?? value;
  const steps = view.steps.map((step) => {
    const actions = step.actions.map((action) => {
      const rows = answers.get(action.id) ?? [];
      let scored = 0;
      let total = 0;
      for (const row of rows) {
        const score = row.decision === DECIDED_NOT ? 1
          : row.status === view.notApplicable ? null
            : view.statusScores[row.status ?? ''] ?? 0;
        if (score === null) continue;
        scored += row.respondents;
        total += score * row.respondents;
      }
      const statuses = tally(rows.map((r) => [r.status, r.respondents]));
      const decisions = action.decision ? tally(rows.map((r) => [r.decision, r.respondents])) : null;
      return {
        id: action.id, number: action.number, text: action.text,
        score: scored > 0 ? total / scored : null,
        statuses: [...statuses].map(([value, count]) => ({ value, label: label(action.status, value), count })),
        decisions: decisions && [...decisions].map(([value, count]) => ({ value, label: label(action.decision!, value), count })),
        coreTasks: action.coreTasks ? coreTasks(action.coreTasks, model, counts) : undefined,
      };
    });
    const applicable = actions.filter((a) => a.score !== null);
    return {
      number: step.number, title: step.title,
      progress: applicable.length > 0 ? (100 * mean(applicable.map((a) => a.score!))) : null,
      done: applicable.length > 0 && applicable.every((a) => a.score === 1),
      actions,
    };
  });
  const allActions = steps.flatMap((s) => s.actions.map((a) => ({ ...a, step: s.number })));
  const scoredSteps = steps.filter((s) => s.progress !== null);
  const scoredActions = allActions.filter((a) => a.score !== null);
  return {
    overall: scoredSteps.length > 0 ? mean(scoredSteps.map((s) => s.progress!)) : null,
    actionWeighted: scoredActions.length > 0 ? 100 * mean(scoredActions.map((a) => a.score!)) : null,
    steps,
    // Not what most respondents call realised: one member's "bezig" beside eight "gerealiseerd"
    // does not make an action still to do (issue 13).
    openActions: allActions.filter((a) => a.score !== null && a.score < 1 && mostCommonValue(a.statuses) !== REALISED)
      .map((a) => ({ step: a.step, number: a.number, id: a.id, text: a.text, score: a.score, status: mostCommon(a.statuses) })),
    decisions: allActions.filter((a) => a.decisions?.some((d) => (d.value === DECIDED_YES || d.value === DECIDED_NOT) && d.count > 0))
      .map((a) => ({ step: a.step, number: a.number, id: a.id, text: a.text, decisions: a.decisions })),
  };
}

/** Current minus previous, per step and overall, in percentage points; null where either is missing. */
export function progressChange(current: ValenteProgress, previous: ValenteProgress) {
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    overall: delta(current.overall, previous.overall),
    actionWeighted: delta(current.actionWeighted, previous.actionWeighted),
    steps: current.steps.map((s) => ({ number: s.number, change: delta(s.progress, previous.steps.find((p) => p.number === s.number)?.progress ?? null) })),
  };
}

function coreTasks(name: string, model: InstrumentModel, counts: Counts) {
  const question = model.byName.get(name);
  if (!question) return undefined;
  return question.rows.map((row) => ({
    row: row.value, title: row.label,
    options: question.choices.map((c) => ({ value: c.value, label: c.label, count: counts.count(name, row.key, c.key) })),
  }));
}

function tally(entries: Array<[string | null, number]>): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const [value, n] of entries) counts.set(value, (counts.get(value) ?? 0) + n);
  return counts;
}

function mostCommon(statuses: Array<{ label: string | null; count: number }>): string | null {
  return [...statuses].sort((a, b) => b.count - a.count)[0]?.label ?? null;
}

function mostCommonValue(statuses: Array<{ value: string | null; count: number }>): string | null {
  return [...statuses].sort((a, b) => b.count - a.count)[0]?.value ?? null;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
