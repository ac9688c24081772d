import type { Knex } from 'knex';

// The tallies also count within pairs of grouping questions ("students with and without own
// experience": by_question 'b_role&c_ervaring', by_value 'student&ja'), so that the TNO
// report's comparisons within a group read tallies too. This tallies the pairs for waves
// that already have answers; new responses add them as they are stored.
export async function up(knex: Knex): Promise<void> {
  const waves = await knex('waves as w').join('instrument_versions as iv', 'iv.id', 'w.instrument_version_id')
    .whereExists(knex('answers').whereRaw('answers.wave_id = w.id'))
    .select('w.id', 'iv.meta', 'iv.definition') as Array<{ id: string; meta: string; definition: string }>;
  for (const wave of waves) {
    const grouping = groupingQuestions(JSON.parse(wave.meta), JSON.parse(wave.definition));
    for (const [i, first] of grouping.entries()) {
      for (const second of grouping.slice(i + 1)) await tallyPair(knex, wave.id, first, second);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex('answer_tallies').where('by_question', 'like', '%&%').delete();
}

// Frozen copies of the rules as they were when this migration was written.

async function tallyPair(knex: Knex, waveId: string, first: string, second: string): Promise<void> {
  const insert = async (select: Knex.QueryBuilder) => {
    const { sql, bindings } = select.toSQL();
    await knex.raw(`insert into answer_tallies (wave_id, by_question, by_value, question, "row", value, respondents) ${sql}`, bindings);
  };
  const both = () => knex('answers as g').join('answers as h', function sameResponse() {
    this.on('h.response_id', '=', 'g.response_id').andOnVal('h.question', '=', second).andOnVal('h.row', '=', '');
  }).join('answers as a', function otherAnswers() {
    this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question').andOn('a.question', '<>', 'h.question');
  }).where({ 'g.wave_id': waveId, 'g.question': first, 'g.row': '' }).whereNotNull('g.value').whereNotNull('h.value');
  const group = [knex.raw('cast(? as varchar(100))', [`${first}&${second}`]), knex.raw("g.value || '&' || h.value")];
  await insert(both().whereNotNull('a.value').select('g.wave_id', ...group, 'a.question', 'a.row', 'a.value', knex.raw('count(*)'))
    .groupBy('g.wave_id', 'g.value', 'h.value', 'a.question', 'a.row', 'a.value'));
  await insert(both().select('g.wave_id', ...group, 'a.question', knex.raw("''"), knex.raw("''"), knex.raw('count(distinct a.response_id)'))
    .groupBy('g.wave_id', 'g.value', 'h.value', 'a.question'));
}

type Json = Record<string, unknown>;

function groupingQuestions(meta: Json, definition: Json): string[] {
  const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
  const named = new Set<string>();
  for (const view of Object.values(isObject(meta.views) ? meta.views : {})) {
    if (!isObject(view)) continue;
    for (const key of ['roleQuestion', 'experienceQuestion']) if (typeof view[key] === 'string') named.add(view[key] as string);
    for (const listName of ['comparisons', 'tables']) {
      for (const entry of Array.isArray(view[listName]) ? view[listName] as unknown[] : []) {
        if (isObject(entry) && typeof entry.by === 'string') named.add(entry.by);
      }
    }
  }
  const types = new Map<string, string>();
  const walk = (elements: unknown) => {
    for (const element of Array.isArray(elements) ? elements : []) {
      if (!isObject(element)) continue;
      if (typeof element.name === 'string' && typeof element.type === 'string') types.set(element.name, element.type);
      walk(element.elements);
    }
  };
  for (const page of Array.isArray(definition.pages) ? definition.pages : []) if (isObject(page)) walk(page.elements);
  return [...named].filter((name) => ['radiogroup', 'dropdown', 'boolean'].includes(types.get(name) ?? '')).sort();
}
