// Which questions of an instrument version get their crosstabs tallied as answers come in.
// Comparing by a "grouping question" (role, own experience) is what the dashboards do most,
// so those crosstabs are kept up to date in the submission transaction; comparing by any
// other question is computed from the answers table when asked (same numbers, slower on
// very large waves). The instrument's views name its grouping questions: `roleQuestion`,
// `experienceQuestion`, and the `by` of its comparisons and tables. Only single-choice
// questions qualify: a respondent must fall in exactly one group.
//
// Pure and JSON-only (no survey-core), because the submission path runs it.

type Json = Record<string, unknown>;

const SINGLE_CHOICE_TYPES = new Set(['radiogroup', 'dropdown', 'boolean']);

export function groupingQuestions(meta: Json, definition: Json): string[] {
  const named = new Set<string>();
  const views = isObject(meta.views) ? meta.views : {};
  for (const view of Object.values(views)) {
    if (!isObject(view)) continue;
    for (const key of ['roleQuestion', 'experienceQuestion']) {
      if (typeof view[key] === 'string') named.add(view[key] as string);
    }
    for (const listName of ['comparisons', 'tables']) {
      const list = view[listName];
      if (!Array.isArray(list)) continue;
      for (const entry of list) if (isObject(entry) && typeof entry.by === 'string') named.add(entry.by);
    }
  }
  const types = questionTypes(definition);
  return [...named].filter((name) => SINGLE_CHOICE_TYPES.has(types.get(name) ?? '')).sort();
}

function questionTypes(definition: Json): Map<string, string> {
  const types = new Map<string, string>();
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements) {
      if (!isObject(element)) continue;
      if (typeof element.name === 'string' && typeof element.type === 'string') types.set(element.name, element.type);
      walk(element.elements);
    }
  };
  for (const page of Array.isArray(definition.pages) ? definition.pages : []) if (isObject(page)) walk(page.elements);
  return types;
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
