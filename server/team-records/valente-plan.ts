// The Valente six steps kept as a living plan (a team wave's shared record): the route the
// organisation walks, from the record as it is now and from its revisions. Pure.
//
// Progress is scored as everywhere else (results/valente.ts, weerman-valente.md §4.2) on
// the one record: there is nothing to count or vote on, so the plan shows each action's
// own status, owner, due date, note, decision and motivation instead of tallies.
import type { InstrumentModel } from '../results/instrument-model';
import type { Counts } from '../results/tally-index';
import { ValenteView, valenteSummary } from '../results/valente';
import type { RecordRevision } from './repository';
import { dayInNetherlands, isValidDay } from '../util/dates';

const REALISED = 'gerealiseerd';
const DECIDED_NOT = 'niet';

/** The names of an action's fields; older files name only status and decision, the rest follow the naming of the file. */
function fieldsOf(action: { id: string; status: string; decision: string | null } & Record<string, unknown>) {
  const named = (key: string, suffix: string) => (typeof action[key] === 'string' ? String(action[key]) : `${action.id}_${suffix}`);
  return {
    status: action.status, decision: action.decision,
    owner: named('owner', 'eigenaar'), due: named('due', 'streefdatum'), note: named('note', 'notitie'),
    reason: named('reason', 'reden'), motivation: action.decision ? named('motivation', 'motivatie') : null,
  };
}

type Data = Record<string, unknown>;

const textOf = (data: Data, name: string | null): string | null => {
  if (!name || !Object.prototype.hasOwnProperty.call(data, name)) return null;
  const value = data[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** The counts of one record: every answer counts once (the shape valenteSummary reads). */
export function recordCounts(data: Data): Counts {
  const valueOf = (question: string) => (Object.prototype.hasOwnProperty.call(data, question) ? data[question] : undefined);
  const count = (question: string, row: string, value: string) => {
    const answer = valueOf(question);
    if (row === '') return answer !== undefined && answer !== null && String(answer) === value ? 1 : 0;
    if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return 0;
    const cell = (answer as Data)[row];
    return Object.prototype.hasOwnProperty.call(answer, row) && String(cell) === value ? 1 : 0;
  };
  return {
    count,
    answered: (question) => (valueOf(question) === undefined ? 0 : 1),
    values: (question, row) => {
      const answer = valueOf(question);
      const value = row === '' ? answer : answer && typeof answer === 'object' && Object.prototype.hasOwnProperty.call(answer, row) ? (answer as Data)[row] : undefined;
      return value === undefined || value === null ? new Map() : new Map([[String(value), 1]]);
    },
  };
}

function progressOf(view: ValenteView, model: InstrumentModel, data: Data) {
  const answers = new Map(view.steps.flatMap((s) => s.actions).map((a) => [a.id, [{
    status: typeof data[a.status] === 'string' ? String(data[a.status]) : null,
    decision: a.decision && typeof data[a.decision] === 'string' ? String(data[a.decision]) : null,
    respondents: 1,
  }]]));
  return valenteSummary(view, model, answers, recordCounts(data));
}

export interface PlanOptions {
  /** Today (YYYY-MM-DD, the Netherlands): what is overdue. */
  today: string;
  /** Show what changed from this day on (YYYY-MM-DD), or null. */
  since: string | null;
  /** Question name → the title people know it by ("Actie 1.2 · Status van deze actie"). */
  titles: ReadonlyMap<string, string>;
  /** The earlier rounds of the series, oldest first, each with its last revision. */
  earlierRounds?: ReadonlyArray<{ label: string; last: RecordRevision }>;
}

export function valentePlan(view: ValenteView, model: InstrumentModel, revisions: readonly RecordRevision[], options: PlanOptions) {
  const current = revisions.at(-1)?.data ?? {};
  const summary = progressOf(view, model, current);
  const label = (question: string | null, value: string | null) =>
    question === null || value === null ? null : model.byName.get(question)?.choices.find((c) => c.key === value)?.label ?? value;

  const actions = view.steps.flatMap((step, s) => step.actions.map((action, a) => {
    const fields = fieldsOf(action as unknown as Parameters<typeof fieldsOf>[0]);
    const status = textOf(current, fields.status);
    const decision = fields.decision ? textOf(current, fields.decision) : null;
    const dueText = textOf(current, fields.due);
    const due = dueText && isValidDay(dueText) ? dueText : null;
    const closed = status === REALISED || status === view.notApplicable || decision === DECIDED_NOT;
    return {
      id: action.id, step: step.number, number: action.number, text: action.text,
      status, statusLabel: label(fields.status, status),
      decision, decisionLabel: label(fields.decision, decision),
      owner: textOf(current, fields.owner), due,
      note: textOf(current, fields.note),
      reason: status === view.notApplicable ? textOf(current, fields.reason) : null,
      motivation: decision === DECIDED_NOT ? textOf(current, fields.motivation) : null,
      score: summary.steps[s].actions[a].score,
      closed,
      overdue: !closed && due !== null && due < options.today,
      fields,
    };
  }));

  const currentStep = summary.steps.find((s) => s.progress !== null && !s.done) ?? null;
  const byDue = (a: { due: string | null }, b: { due: string | null }) =>
    a.due === b.due ? 0 : a.due === null ? 1 : b.due === null ? -1 : a.due < b.due ? -1 : 1;
  const open = actions.filter((a) => !a.closed);

  // Status history per action, from the revisions: every revision in which its status or decision changed.
  const history = actions.map((action) => {
    const entries: Array<{ revision: number; savedAt: string; by: string; byKind: string; from: string | null; to: string | null; field: 'status' | 'decision' }> = [];
    for (const revision of revisions) {
      for (const change of revision.changes) {
        const field = change.question === action.fields.status ? 'status' : change.question === action.fields.decision ? 'decision' : null;
        if (!field) continue;
        const question = field === 'status' ? action.fields.status : action.fields.decision;
        entries.push({
          revision: revision.revision, savedAt: revision.savedAt, by: revision.authorLabel, byKind: revision.authorKind, field,
          from: label(question, typeof change.before === 'string' ? change.before : null),
          to: label(question, typeof change.after === 'string' ? change.after : null),
        });
      }
    }
    return { id: action.id, step: action.step, number: action.number, entries };
  });

  // Progress after every revision that changed a status or a decision (and after the first).
  const scored = new Set(actions.flatMap((a) => [a.fields.status, a.fields.decision].filter((n): n is string => n !== null)));
  // Each earlier round of the series as it ended, then this round's revisions.
  const point = (r: RecordRevision, round: string | null) => {
    const p = progressOf(view, model, r.data);
    return { round, revision: r.revision, savedAt: r.savedAt, by: r.authorLabel, overall: p.overall, steps: p.steps.map((s) => ({ number: s.number, progress: s.progress })) };
  };
  const overTime = [
    ...(options.earlierRounds ?? []).map((e) => point(e.last, e.label)),
    ...revisions.filter((r, i) => i === 0 || r.changes.some((c) => scored.has(c.question))).map((r) => point(r, null)),
  ];

  const changedSince = options.since === null ? null : revisions
    // The day as people in the Netherlands name it: a save at 00:30 belongs to that day, not to the UTC day before.
    .filter((r) => dayInNetherlands(new Date(r.savedAt)) >= options.since!)
    .map((r) => ({
      revision: r.revision, savedAt: r.savedAt, by: r.authorLabel, byKind: r.authorKind,
      changes: r.changes.map((c) => ({ question: c.question, title: options.titles.get(c.question) ?? c.question, before: c.before, after: c.after })),
    }));

  const coreTasks = view.steps.flatMap((s) => s.actions).find((a) => a.coreTasks)?.coreTasks ?? null;
  const coreQuestion = coreTasks ? model.byName.get(coreTasks) : undefined;
  const coreAnswer = coreTasks && current[coreTasks] && typeof current[coreTasks] === 'object' ? current[coreTasks] as Data : {};

  const strip = <T extends { fields: unknown }>(a: T) => { const { fields: _fields, ...rest } = a; return rest; };
  return {
    revision: revisions.at(-1)?.revision ?? 0,
    overall: summary.overall,
    actionWeighted: summary.actionWeighted,
    steps: summary.steps.map((s) => ({ number: s.number, title: s.title, progress: s.progress, done: s.done })),
    currentStep: currentStep ? { number: currentStep.number, title: currentStep.title } : null,
    actions: actions.map(strip),
    nextActions: [...open].sort(byDue).map(strip),
    overdue: open.filter((a) => a.overdue).sort(byDue).map(strip),
    reasoning: actions.filter((a) => a.motivation || a.reason || a.note).map((a) => ({
      id: a.id, step: a.step, number: a.number, text: a.text, decisionLabel: a.decisionLabel, statusLabel: a.statusLabel,
      motivation: a.motivation, reason: a.reason, note: a.note,
    })),
    coreTasks: coreQuestion ? coreQuestion.rows.map((row) => {
      const value = Object.prototype.hasOwnProperty.call(coreAnswer, row.key) ? String(coreAnswer[row.key]) : null;
      return { row: row.value, title: row.label, value, label: label(coreTasks, value) };
    }) : [],
    history,
    overTime,
    changedSince,
  };
}

export type ValentePlan = ReturnType<typeof valentePlan>;
