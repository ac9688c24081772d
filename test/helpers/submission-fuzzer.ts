// Random submissions for any instrument, mostly plausible and now and then wrong in every
// way a page or an attacker could be wrong: unknown questions and rows, values outside the
// choices, wrong types, numbers as strings, empty answers, exclusive choices combined,
// comments, answers to questions that are hidden. For differential tests: two validators
// must give the same outcome on all of them.
import { questionsOf, surveyModel } from '../../server/survey/model';
import type { Random } from './quickscan-stream';

interface QuestionShape {
  name: string;
  type: string;
  choices: unknown[];
  rows: string[];
  columns: unknown[];
  items: string[];
}

const SPECIAL_CHOICES = ['none', 'refused', 'dontknow'];
const ODD_VALUES: unknown[] = [null, 42, -1, 3.5, 'x', '', '   ', [], {}, [1, 1], ['a', 'a'], { bogus: 1 }, true, false, 'refused', 'none', '3', 3,
  [{ a: 1 }], { t: { u: 1 } }, 'x'.repeat(6000), Number.MAX_SAFE_INTEGER, '<script>alert(1)</script>', "'; drop table answers; --"];
const TEXTS = ['', '   ', 'Een antwoord.', 'Nog een antwoord, met "aanhalingstekens".', 'x'.repeat(2100)];

export function instrumentShape(definition: Record<string, unknown>): QuestionShape[] {
  return questionsOf(surveyModel(definition), { nested: true }).map((q) => ({
    name: q.getValueName(),
    type: q.getType(),
    choices: Array.isArray(q.choices) ? (q.choices as Array<{ value: unknown }>).map((c) => c.value) : [],
    rows: Array.isArray(q.rows) ? (q.rows as Array<{ value: unknown }>).map((r) => String(r.value)) : [],
    columns: Array.isArray(q.columns) ? (q.columns as Array<{ value: unknown }>).map((c) => c.value) : [],
    items: Array.isArray(q.items) ? (q.items as Array<{ name: string }>).map((i) => i.name) : [],
  }));
}

export function fuzzSubmission(shape: QuestionShape[], random: Random): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const maybeString = (v: unknown) => (chance(0.1) ? String(v) : v);
  const choiceValue = (q: QuestionShape) => maybeString(chance(0.85) && q.choices.length > 0 ? pick(q.choices) : pick([...SPECIAL_CHOICES, 'bestaat_niet', 99]));

  const value = (q: QuestionShape): unknown => {
    if (chance(0.06)) return pick(ODD_VALUES);
    switch (q.type) {
      case 'radiogroup':
      case 'dropdown':
        return choiceValue(q);
      case 'checkbox': {
        const n = chance(0.1) ? 0 : 1 + Math.floor(random() * 3);
        const values = new Set<unknown>();
        for (let i = 0; i < n; i++) values.add(choiceValue(q));
        return [...values];
      }
      case 'matrix': {
        const value: Record<string, unknown> = {};
        for (const row of q.rows) if (chance(0.6)) value[row] = chance(0.95) ? maybeString(pick(q.columns)) : pick([0, 9, 'x']);
        if (chance(0.05)) value.bestaat_niet = 1;
        return value;
      }
      case 'multipletext': {
        const value: Record<string, unknown> = {};
        for (const item of q.items) if (chance(0.6)) value[item] = pick(['', 'Iemand', 'iemand@example.org', 'geen-e-mail', '0612345678']);
        return value;
      }
      case 'comment':
      case 'text':
        return pick(TEXTS);
      default:
        return pick(TEXTS);
    }
  };

  const entries: Array<[string, unknown]> = [];
  for (const q of shape) {
    if (chance(0.55)) entries.push([q.name, value(q)]);
    if (chance(0.01)) entries.push([`${q.name}-Comment`, 'opmerking']);
  }
  if (chance(0.03)) entries.push(['bestaat_niet', 'x']);
  // The order of the keys is the order in which invisible answers are dropped: vary it.
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries);
}
