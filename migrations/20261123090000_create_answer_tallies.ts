import type { Knex } from 'knex';

// Per-wave counts of respondents per answer, and per answer within each group of the
// instrument's grouping questions (role, own experience), kept up to date in the
// transaction that stores a response. Results and comparisons of large waves read these
// few hundred rows instead of aggregating every answer (server/results/tallies/keys.ts
// explains the keys). Waves that already have responses are tallied from their answers.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('answer_tallies', (t) => {
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('by_question', 100).notNullable(); // '' = all respondents of the wave
    t.string('by_value', 200).notNullable();
    t.string('question', 100).notNullable();
    t.string('row', 100).notNullable();
    t.string('value', 200).notNullable(); // '' = answered the question at all
    t.integer('respondents').notNullable();
    t.primary(['wave_id', 'by_question', 'by_value', 'question', 'row', 'value']);
  });

  const waves = await knex('waves as w').join('instrument_versions as iv', 'iv.id', 'w.instrument_version_id')
    .whereExists(knex('answers').whereRaw('answers.wave_id = w.id'))
    .select('w.id', 'iv.meta', 'iv.definition') as Array<{ id: string; meta: string; definition: string }>;
  for (const wave of waves) {
    await tallyExistingAnswers(knex, wave.id, groupingQuestions(JSON.parse(wave.meta), JSON.parse(wave.definition)));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('answer_tallies');
}

// A frozen copy of the rules as they were when this migration was written (migrations never
// change afterwards; the living code is in server/results/tallies/).

async function tallyExistingAnswers(knex: Knex, waveId: string, grouping: string[]): Promise<void> {
  const insert = async (select: Knex.QueryBuilder) => {
    const { sql, bindings } = select.toSQL();
    await knex.raw(`insert into answer_tallies (wave_id, by_question, by_value, question, "row", value, respondents) ${sql}`, bindings);
  };
  await insert(knex('answers').where({ wave_id: waveId }).whereNotNull('value')
    .select('wave_id', knex.raw("''"), knex.raw("''"), 'question', 'row', 'value', knex.raw('count(*)'))
    .groupBy('wave_id', 'question', 'row', 'value'));
  await insert(knex('answers').where({ wave_id: waveId })
    .select('wave_id', knex.raw("''"), knex.raw("''"), 'question', knex.raw("''"), knex.raw("''"), knex.raw('count(distinct response_id)'))
    .groupBy('wave_id', 'question'));
  if (grouping.length === 0) return;
  const pairs = () => knex('answers as g').join('answers as a', function joinSameResponse() {
    this.on('a.response_id', '=', 'g.response_id').andOn('a.question', '<>', 'g.question');
  }).where('g.wave_id', waveId).whereIn('g.question', grouping).andWhere('g.row', '').whereNotNull('g.value');
  await insert(pairs().whereNotNull('a.value')
    .select('g.wave_id', 'g.question', 'g.value', 'a.question', 'a.row', 'a.value', knex.raw('count(*)'))
    .groupBy('g.wave_id', 'g.question', 'g.value', 'a.question', 'a.row', 'a.value'));
  await insert(pairs()
    .select('g.wave_id', 'g.question', 'g.value', 'a.question', knex.raw("''"), knex.raw("''"), knex.raw('count(distinct a.response_id)'))
    .groupBy('g.wave_id', 'g.question', 'g.value', 'a.question'));
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
