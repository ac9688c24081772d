// Every number the results show comes from here, aggregated in SQL: respondent counts per
// answer (GROUP BY), read from the per-wave tallies where they hold the answer (no filter,
// or one filter on a grouping question; a comparison by a grouping question) and computed
// from the process's columnar copy of the wave's sealed answers otherwise (columns/), or,
// without one, from the answers table. No query here returns individual responses.
import type { Knex } from 'knex';
import type { Scope } from '../auth/scope';
import { foldQueuedTallies, groupingQuestionsOfWave } from './tallies/repository';
import { oncePerRead, settledInRead } from './one-read';
import { ALL, ANSWERED, compoundAnswers, compoundGroup } from './tallies/keys';
import type { Filter } from './filters';
import { inWave } from './wave-answers';
import { columnCacheFor } from './columns/cache';
import { readerOf } from '../db/connection';
import { WaveColumns } from './columns/wave-columns';
import { AnswersCounters, countersKey } from './columns/repository';
import { dialectName } from '../db/dialect';

/** A wave the caller may see: only findWave and seriesWaves make one, both within a Scope. */
export interface ScopedWave {
  readonly id: string;
  readonly organisationId: string;
  readonly instrumentVersionId: string;
  readonly instrumentKey: string;
  readonly instrumentVersion: number;
  readonly label: string;
  readonly mode: 'anonymous' | 'identified';
  readonly series: string | null;
  readonly minGroupSize: number;
  readonly opensOn: string | null;
  readonly closesOn: string | null;
  readonly status: string;
  /** The day the wave first showed a result with numbers (its minimum may then only rise). */
  readonly resultsShownOn: string | null;
  /** Responses stored but not sealed yet (server/sealing/): they count from the next step on. */
  readonly awaiting?: number;
  /** The version of its sealed answers when the request read it (findWaveWithState; read-memo.ts). */
  readonly answersVersion?: { readonly epoch: number; readonly version: number };
  readonly scoped: true;
}

/** Respondents per answer; value '' (ANSWERED) = respondents who answered the question at all. */
export interface Tally {
  question: string;
  row: string;
  value: string;
  respondents: number;
}

export interface GroupTally extends Tally {
  group: string;
}

export interface Crosstab {
  groups: Array<{ value: string; respondents: number }>;
  cells: GroupTally[];
}

export interface ResultsRepositoryOptions {
  /** false: always aggregate the answers table (tests compare both ways; the benchmark measures both). */
  useTallies?: boolean;
  /** false: never the columnar copy (columns/), the answers table instead (tests compare both ways; the benchmark measures both). */
  useColumns?: boolean;
}

export function createResultsRepository(db: Knex | Knex.Transaction, { useTallies = true, useColumns = true }: ResultsRepositoryOptions = {}) {
  // Not inside a transaction: a copy shared by the process must hold committed rows only.
  // Loaded through the pool for heavy reads, so that it neither waits behind submissions nor holds their connections.
  const columns = useColumns && !(db as Knex.Transaction).isTransaction ? columnCacheFor(db as Knex, readerOf(db as Knex)) : null;
  /** The wave's columnar copy, current now; null without one (then the answers table answers). */
  const copyOf = async (waveId: string): Promise<WaveColumns | null> => (columns ? columns.current(waveId) : null);
  /**
   * Whether this read brought the wave's copy up to date already (a comparison within a
   * filter, before its counts of the whole wave): then the copy answers what the tallies
   * would, the same numbers, without folding the tally queue first. Under a stream of
   * submissions that fold was a write per read (on SQLite in the submissions' write turn)
   * of everything sealed since the last one: seconds a read on PostgreSQL under load.
   */
  const copyChecked = (waveId: string): boolean => Boolean(columns?.checkedInRead(waveId));
  /** The wave's queued responses into its tallies: once per request (one-read.ts), outside a transaction. */
  const foldKey = (waveId: string) => `fold ${waveId}`;
  const fold = (waveId: string) => ((db as Knex.Transaction).isTransaction ? foldQueuedTallies(db, waveId)
    : oncePerRead(foldKey(waveId), () => foldQueuedTallies(db, waveId)));

  const waves = () => db('waves as w').join('instrument_versions as iv', 'iv.id', 'w.instrument_version_id')
    .select('w.id', 'w.organisation_id', 'w.instrument_version_id', 'iv.key as instrument_key', 'iv.version as instrument_version',
      'w.label', 'w.mode', 'w.series', 'w.min_group_size', 'w.opens_on', 'w.closes_on', 'w.status', 'w.created_at', 'w.results_shown_on');
  /** Subqueries on the wave (alias w), each by an index on wave_id; read by stateOf. */
  const stateColumns = () => [
    db('pending_responses as p').whereRaw('p.wave_id = w.id').count('*').as('state_pending'),
    db('pending_responses as p').whereRaw('p.wave_id = w.id').where('p.held', false).count('*').as('state_waiting'),
    db.raw('case when exists (select 1 from pending_contacts c where c.wave_id = w.id) then 1 else 0 end as state_contacts'),
    db.raw('case when exists (select 1 from tally_queue q where q.wave_id = w.id) then 1 else 0 end as state_queued'),
    db.raw('w.answers_epoch as state_epoch'),
    // Each change counter ("stripe:n,…"), not only their sum: the columnar copy's check needs
    // them one by one, and takes them from here instead of a round trip of its own (cache.ts).
    db.raw(`(select ${dialectName(db) === 'postgres' ? 'string_agg' : 'group_concat'}(cast(c.stripe as text) || ':' || cast(c.n as text), ',')
      from wave_answer_changes c where c.wave_id = w.id) as state_counters`),
  ];
  const scoped = (query: Knex.QueryBuilder, scope: Scope) =>
    scope.organisationId === null ? query : query.where('w.organisation_id', scope.organisationId);

  /**
   * A query over the respondents who gave every filter answer: the first filter's answers
   * (alias f0), joined on the response with one more answer per further filter. A response
   * holds each answer at most once, so every respondent appears once. Joins rather than
   * IN (… GROUP BY … HAVING): the first filter's answer is looked up per response of the
   * wave, and everything else by response (index answers_by_response; see inWave).
   */
  const fromRespondents = (waveId: string, filters: readonly Filter[]) => {
    const [first, ...rest] = filters;
    const query = inWave(db, db('answers as f0').where({ 'f0.question': first.question, 'f0.row': first.row, 'f0.value': first.value }), 'f0', waveId);
    rest.forEach((f, i) => {
      const alias = `f${i + 1}`;
      query.join(`answers as ${alias}`, function sameResponse() {
        this.on(`${alias}.response_id`, '=', 'f0.response_id').andOnVal(`${alias}.question`, '=', f.question)
          .andOnVal(`${alias}.row`, '=', f.row).andOnVal(`${alias}.value`, '=', f.value);
      });
    });
    return query;
  };
  const matching = (waveId: string, filters: readonly Filter[]) => fromRespondents(waveId, filters).select('f0.response_id');

  /** The answers (alias a) of the filtered respondents. */
  const answersOf = (waveId: string, filters: readonly Filter[]) => (filters.length === 0
    ? inWave(db, db('answers as a'), 'a', waveId)
    : fromRespondents(waveId, filters).join('answers as a', 'a.response_id', 'f0.response_id'));

  /**
   * The tallies that hold exactly the filtered respondents, if any: no filter (the whole
   * wave), or one or two filters on grouping questions. `fixed` are the filters whose own
   * answers the tallies leave out (within the group they are known: the filter value).
   */
  async function talliedBy(waveId: string, filters: readonly Filter[]): Promise<{ byQuestion: string; byValue: string; fixed: readonly Filter[] } | null> {
    if (!useTallies || copyChecked(waveId)) return null;
    if (filters.length > 2 || !(await allGrouping(waveId, filters))) return null;
    // A copy the process holds answers the same counts after one check, which the read
    // makes anyway (the whole wave's respondents are counted on it): no tally rows read first.
    if (columns?.holds(waveId) && (await columns.current(waveId))) return null;
    // The wave's queued responses go into the tallies first, so that they are complete.
    await fold(waveId);
    if (filters.length === 0) return { byQuestion: ALL, byValue: ALL, fixed: [] };
    if (filters.length === 1) return { byQuestion: filters[0].question, byValue: filters[0].value, fixed: filters };
    if (filters[0].question === filters[1].question) return null; // two answers to one single-choice question: nobody
    return { ...compoundGroup(filters[0], filters[1]), fixed: filters };
  }

  async function allGrouping(waveId: string, items: ReadonlyArray<{ question: string; row: string }>): Promise<boolean> {
    const grouping = await groupingQuestionsOfWave(db, waveId);
    return items.every((i) => i.row === '' && grouping.has(i.question));
  }

  /**
   * The tally rows of one grouping (all its groups, or one), read once per request
   * (one-read.ts): a summary reads the whole wave's rows for its tables, its filters'
   * groups and its comparisons' rest checks, a dozen times otherwise. Callers pick from them.
   */
  const tallyRows = (waveId: string, byQuestion: string, byValue?: string): Promise<TallyRow[]> => {
    const read = async () => {
      const query = db('answer_tallies').where({ wave_id: waveId, by_question: byQuestion });
      if (byValue !== undefined) query.andWhere({ by_value: byValue });
      return (await query.select('by_value', 'question', 'row', 'value', 'respondents'))
        .map((r: TallyRow) => ({ by_value: r.by_value, question: r.question, row: r.row, value: r.value, respondents: Number(r.respondents) }));
    };
    return (db as Knex.Transaction).isTransaction ? read() : oncePerRead(talliesKey(waveId, byQuestion, byValue), read);
  };
  /** A grouping's rows of one question (row ''), its ANSWERED count left out: the sizes of that question's groups. */
  const groupRows = (rows: TallyRow[], question: string) => rows.filter((r) => r.question === question && r.row === '' && r.value !== ANSWERED);

  async function countRespondents(wave: ScopedWave, filters: readonly Filter[]): Promise<number> {
    if (filters.length === 0) {
      // A copy held already knows (counting 100,000 index entries takes PostgreSQL tens of ms); none is built for this.
      const held = columns?.holds(wave.id) ? await columns.current(wave.id) : null;
      if (held) return held.n;
      const counted = async () => count(await db('responses').where('wave_id', wave.id).count({ n: '*' }).first());
      // Once per request (a summary asks four times; each counts 100,000 index entries).
      return (db as Knex.Transaction).isTransaction ? counted() : oncePerRead(respondentsKey(wave.id), counted);
    }
    const tallied = await talliedBy(wave.id, filters);
    if (tallied) {
      // The first filter's group, counted among those who gave the second answer (or among everyone).
      const [first, second] = tallied.fixed.length === 2 ? tallied.fixed : [{ question: ALL, value: ALL }, tallied.fixed[0]];
      const row = (await tallyRows(wave.id, first.question, first.value)).find((r) => r.question === second.question && r.row === '' && r.value === second.value);
      return row?.respondents ?? 0;
    }
    const copy = await copyOf(wave.id);
    if (copy) return copy.select(filters).length;
    return count(await fromRespondents(wave.id, filters).count({ n: '*' }).first());
  }

  async function seriesWavesWithState(scope: Scope, organisationId: string, series: string, counted: boolean): Promise<Array<{ wave: ScopedWave; state: WaveState }>> {
    // With each wave's state, as findWaveWithState: what this read then need not ask again
    // per wave (whether its tally queue holds anything, its change counters for the copy).
    // A wave whose copy the process holds counts from it (talliedBy, countRespondents): the
    // others' respondents and whole-wave tally rows come with the waves, one round trip in all.
    const held = columns?.heldWaves() ?? [];
    const counting = counted && !(db as Knex.Transaction).isTransaction;
    const unheld = (sql: string, bindings: readonly string[], as: string) => db.raw(held.length === 0 ? `(${sql}) as ${as}`
      : `case when w.id in (${held.map(() => '?').join(', ')}) then null else (${sql}) end as ${as}`, [...held, ...bindings]);
    const postgres = dialectName(db) === 'postgres';
    const tallyJson = postgres ? `coalesce(json_agg(json_build_array(t.by_value, t.question, t."row", t.value, t.respondents)), '[]'::json)`
      : 'json_group_array(json_array(t.by_value, t.question, t."row", t.value, t.respondents))';
    const counts = !counting ? [] : [
      // Not on PostgreSQL: correlated, its planner takes a wave for half the responses and
      // scans the table (22 ms at 101,000 against 1,000 responses; countRespondents' own
      // statement, with the wave's id, reads the index).
      ...(postgres ? [] : [unheld('select count(*) from responses r where r.wave_id = w.id', [], 'respondents')]),
      unheld(`select ${tallyJson} from answer_tallies t where t.wave_id = w.id and t.by_question = ? and t.by_value = ?`, [ALL, ALL], 'tallies'),
    ];
    const rows: Array<WaveRow & StateRow & { respondents?: unknown; tallies?: unknown }> = await scoped(waves(), scope)
      .where({ 'w.organisation_id': organisationId, 'w.series': series }).select(...stateColumns(), ...counts);
    for (const row of rows) {
      const state = stateOf(row);
      if (!state.queued) settledInRead(foldKey(row.id), 0);
      settledInRead(countersKey(row.id), state.counters);
      if (!counting || row.tallies === null || row.tallies === undefined) continue;
      // What countRespondents and tallyRows would read in this read (once per read each), read here;
      // the tallies only when no fold is due (it would change them before they are used).
      if (row.respondents !== null && row.respondents !== undefined) settledInRead(respondentsKey(row.id), count({ n: row.respondents }));
      if (!state.queued) settledInRead(talliesKey(row.id, ALL, ALL), tallyRowsOf(row.tallies));
    }
    const day = (row: WaveRow) => row.opens_on ?? isoDay(row.created_at);
    return rows.sort((a, b) => day(a).localeCompare(day(b)) || isoDay(a.created_at).localeCompare(isoDay(b.created_at))
      || a.label.localeCompare(b.label)).map((row) => ({ wave: fromRow(row), state: stateOf(row) }));
  }

  /** Each group's own answers to the grouping questions, which its tallies leave out (they are the same for all of it). */
  function ownAnswers(group: string, questions: ReadonlyArray<{ question: string; value: string }>, respondents: number): GroupTally[] {
    return questions.flatMap(({ question, value }) => [
      { group, question, row: '', value, respondents }, { group, question, row: '', value: ANSWERED, respondents }]);
  }

  /** Groups of a grouping question, from the pair tallies. */
  async function tallyCrosstab(wave: ScopedWave, by: string): Promise<Crosstab> {
    await fold(wave.id);
    const groups = groupRows(await tallyRows(wave.id, ALL, ALL), by).map((g) => ({ value: String(g.value), respondents: g.respondents }));
    const cells: GroupTally[] = (await tallyRows(wave.id, by)).map((r) => ({ group: r.by_value, question: r.question, row: r.row, value: r.value, respondents: r.respondents }));
    return { groups, cells: [...cells, ...groups.flatMap((g) => ownAnswers(g.value, [{ question: by, value: g.value }], g.respondents))] };
  }

  /** Groups of a grouping question among those who gave one answer to another (the compound tallies). */
  async function tallyCrosstabWithin(wave: ScopedWave, filter: Filter, by: string): Promise<Crosstab> {
    await fold(wave.id);
    const groups = groupRows(await tallyRows(wave.id, filter.question, filter.value), by).map((g) => ({ value: String(g.value), respondents: g.respondents }));
    const { byQuestion } = compoundGroup(filter, { question: by, value: '' });
    const cells: GroupTally[] = [];
    // A few pairs of answers over thousands of rows: each pair read once (a summary spent a sixth of its time here).
    const pairs = new Map<string, Map<string, string>>();
    for (const row of await tallyRows(wave.id, byQuestion)) {
      let answers = pairs.get(row.by_value);
      if (!answers) pairs.set(row.by_value, (answers = compoundAnswers(byQuestion, row.by_value)));
      if (answers.get(filter.question) !== filter.value) continue;
      cells.push({ group: answers.get(by)!, question: row.question, row: row.row, value: row.value, respondents: row.respondents });
    }
    for (const g of groups) cells.push(...ownAnswers(g.value, [{ question: by, value: g.value }, filter], g.respondents));
    return { groups, cells };
  }

  return {
    async findWave(scope: Scope, id: string): Promise<ScopedWave | null> {
      const row = await scoped(waves(), scope).where('w.id', id).first();
      return row ? fromRow(row) : null;
    },

    /** How many of a wave's responses wait for the next seal: a total only, never per group. */
    async awaiting(waveId: string): Promise<number> {
      const row = await db('pending_responses').where({ wave_id: waveId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    /**
     * The wave (within the scope) and what a read needs to know of its state, in one
     * statement: its pending responses (for the seal and `awaiting`), whether its tally queue
     * holds anything (else no fold), and the version of its sealed answers (the change
     * counters and answers_epoch the columnar copies use: read-memo.ts). A results request
     * made some six round trips for these before it read a count.
     */
    async findWaveWithState(scope: Scope, id: string): Promise<{ wave: ScopedWave; state: WaveState } | null> {
      const row = await scoped(waves(), scope).where('w.id', id).select(...stateColumns()).first();
      return row ? { wave: fromRow(row), state: stateOf(row) } : null;
    },

    /** findWaveWithState for several waves, in one statement; those outside the scope or missing are not in the map. */
    async findWavesWithState(scope: Scope, ids: readonly string[]): Promise<Map<string, { wave: ScopedWave; state: WaveState }>> {
      const rows = await scoped(waves(), scope).whereIn('w.id', [...ids]).select(...stateColumns());
      return new Map(rows.map((row: WaveRow & StateRow) => [row.id, { wave: fromRow(row), state: stateOf(row) }]));
    },

    /** The read found the wave's tally queue empty (findWaveWithState): its tallies need no fold in this read. */
    nothingQueued(waveId: string): void {
      settledInRead(foldKey(waveId), 0);
    },

    /**
     * The wave's change counters as this read found them with the wave (findWaveWithState,
     * after any seal it waited for): the copy's check in this read takes them instead of
     * reading them again. Read after the read began, so they hold every change committed before it.
     */
    countersRead(waveId: string, counters: AnswersCounters): void {
      settledInRead(countersKey(waveId), counters);
    },

    /** The same state again (after a seal). */
    async waveState(waveId: string): Promise<WaveState | null> {
      const row = await db('waves as w').where('w.id', waveId).first(...stateColumns());
      return row ? stateOf(row) : null;
    },

    /** The series' waves of one organisation, oldest first (by opening day, else creation). */
    async seriesWaves(scope: Scope, organisationId: string, series: string): Promise<ScopedWave[]> {
      return (await seriesWavesWithState(scope, organisationId, series, false)).map(({ wave }) => wave);
    },

    /**
     * The same with each wave's state, and (counted: true) the respondents of each wave
     * whose copy the process does not hold, as countRespondents counts them: a series then
     * needs no statement per wave for them, and its comparison finds its waves here.
     */
    seriesWavesWithState,

    countRespondents,

    /**
     * Respondents per (question, row, value) among the filtered respondents, with the
     * ANSWERED counts of the questions in `answeredFor` (all when not given; a single-choice
     * question's is the sum of its values, so callers may leave those out: counting distinct
     * respondents is the expensive part on the answers table).
     */
    /**
     * The answers of the same people at two waves of a panel (invitations sharing a
     * pseudonymous panel key), counted per (question, row, answer before, answer after):
     * complete pairs only. The key is joined on and never selected.
     */
    async pairedCounts(first: ScopedWave, second: ScopedWave, questions: readonly string[]): Promise<{ pairs: number; cells: Array<{ question: string; row: string; before: string; after: string; pairs: number }> }> {
      const paired = (q: Knex.QueryBuilder) => q
        .from('responses as ra').join('invitations as ia', 'ia.id', 'ra.invitation_id')
        .join('invitations as ib', 'ib.panel_key', 'ia.panel_key')
        .join('responses as rb', 'rb.invitation_id', 'ib.id')
        .where('ra.wave_id', first.id).andWhere('rb.wave_id', second.id).andWhere('ib.wave_id', second.id).whereNotNull('ia.panel_key');
      const [{ n }] = await paired(db.queryBuilder()).count({ n: '*' });
      if (questions.length === 0) return { pairs: Number(n), cells: [] };
      const rows = await paired(db.queryBuilder())
        .join('answers as aa', 'aa.response_id', 'ra.id')
        .join('answers as ab', function () { this.on('ab.response_id', '=', 'rb.id').andOn('ab.question', '=', 'aa.question').andOn('ab.row', '=', 'aa.row'); })
        .whereIn('aa.question', questions)
        .groupBy('aa.question', 'aa.row', 'aa.value', 'ab.value')
        .select('aa.question as question', 'aa.row as row', 'aa.value as before', 'ab.value as after').count({ pairs: '*' });
      return {
        pairs: Number(n),
        cells: rows.map((r) => ({ question: String(r.question), row: String(r.row), before: String(r.before), after: String(r.after), pairs: Number(r.pairs) })),
      };
    },

    async distribution(wave: ScopedWave, filters: readonly Filter[], answeredFor?: readonly string[]): Promise<Tally[]> {
      const tallied = await talliedBy(wave.id, filters);
      if (tallied) {
        const rows: Tally[] = (await tallyRows(wave.id, tallied.byQuestion, tallied.byValue))
          .map((r) => ({ question: r.question, row: r.row, value: r.value, respondents: r.respondents }));
        if (tallied.fixed.length === 0) return rows;
        const n = await countRespondents(wave, filters);
        return [...rows, ...ownAnswers('', tallied.fixed, n).map(({ group: _group, ...t }) => t)];
      }
      const copy = await copyOf(wave.id);
      if (copy) return copy.distribution(copy.select(filters), answeredFor, WaveColumns.filterKey(filters));
      const values = await answersOf(wave.id, filters).whereNotNull('a.value')
        .select('a.question', 'a.row', 'a.value', db.raw('count(*) as respondents')).groupBy('a.question', 'a.row', 'a.value');
      const answered = onlyQuestions<{ question: string; respondents: unknown }>(await answersOf(wave.id, filters)
        .select('a.question', db.raw('count(distinct a.response_id) as respondents')).groupBy('a.question'), answeredFor);
      return toTallies([...values, ...answered.map((a: { question: string; respondents: unknown }) => ({ ...a, row: '', value: ANSWERED }))]);
    },

    /** The filtered respondents per answer, split by their answer to `by` (a single-choice question or matrix row); answeredFor as in distribution. */
    async crosstab(wave: ScopedWave, filters: readonly Filter[], by: { question: string; row: string }, answeredFor?: readonly string[]): Promise<Crosstab> {
      const copied = columns?.checkedInRead(wave.id);
      if (useTallies && !copied?.canGroupBy(by) && filters.length <= 1 && (await allGrouping(wave.id, [by, ...filters])) && filters[0]?.question !== by.question) {
        return filters.length === 0 ? tallyCrosstab(wave, by.question) : tallyCrosstabWithin(wave, filters[0], by.question);
      }
      const copy = await copyOf(wave.id);
      if (copy && copy.canGroupBy(by)) return copy.crosstab(copy.select(filters), by, answeredFor, WaveColumns.filterKey(filters));
      const inGroups = () => {
        const query = filters.length === 0 ? inWave(db, db('answers as g'), 'g', wave.id)
          : fromRespondents(wave.id, filters).join('answers as g', 'g.response_id', 'f0.response_id');
        return query.where({ 'g.question': by.question, 'g.row': by.row });
      };
      const grouped = () => inGroups().join('answers as a', 'a.response_id', 'g.response_id');
      const groupSizes = await inGroups().select('g.value', db.raw('count(*) as respondents')).groupBy('g.value');
      const values = await grouped().whereNotNull('a.value')
        .select('g.value as group', 'a.question', 'a.row', 'a.value', db.raw('count(*) as respondents'))
        .groupBy('g.value', 'a.question', 'a.row', 'a.value');
      const answered = onlyQuestions<{ group: string; question: string; respondents: unknown }>(await grouped()
        .select('g.value as group', 'a.question', db.raw('count(distinct a.response_id) as respondents')).groupBy('g.value', 'a.question'), answeredFor);
      return {
        groups: groupSizes.map((g: { value: string; respondents: unknown }) => ({ value: g.value, respondents: Number(g.respondents) })),
        cells: toTallies([...values, ...answered.map((a: { question: string; respondents: unknown }) => ({ ...a, row: '', value: ANSWERED }))]) as GroupTally[],
      };
    },

    /**
     * The filtered respondents per answer to `by` (a single-choice question or matrix row):
     * the sizes of the groups a filter on `by` would select, for the complement rule.
     * From the tallies for a grouping question without filters; else one GROUP BY.
     */
    async groupSizes(wave: ScopedWave, filters: readonly Filter[], by: { question: string; row: string }): Promise<Map<string, number>> {
      let rows: Array<{ value: string; respondents: unknown }>;
      let copy: WaveColumns | null;
      if (useTallies && !copyChecked(wave.id) && filters.length === 0 && (await allGrouping(wave.id, [by]))) {
        await fold(wave.id);
        rows = groupRows(await tallyRows(wave.id, ALL, ALL), by.question);
      } else if ((copy = await copyOf(wave.id))) {
        return copy.groupSizes(copy.select(filters), by, WaveColumns.filterKey(filters));
      } else {
        const query = filters.length === 0 ? inWave(db, db('answers as g'), 'g', wave.id)
          : fromRespondents(wave.id, filters).join('answers as g', 'g.response_id', 'f0.response_id');
        rows = await query.where({ 'g.question': by.question, 'g.row': by.row }).whereNotNull('g.value')
          .select('g.value', db.raw('count(*) as respondents')).groupBy('g.value');
      }
      return new Map(rows.map((r) => [String(r.value), Number(r.respondents)]));
    },

    /**
     * Per pair of questions (Weerman: current and desired), respondents per difference
     * second − first, computed per respondent by joining the two answers of each response;
     * only answers on the numeric scale count ("weet ik niet" is left out).
     */
    async differences(wave: ScopedWave, filters: readonly Filter[], pairs: ReadonlyArray<{ first: string; second: string }>, scale: readonly string[]): Promise<Array<{ first: string; difference: number; respondents: number }>> {
      if (pairs.length === 0) return [];
      const copy = await copyOf(wave.id);
      const fromCopy = copy ? copy.differences(copy.select(filters), pairs, scale) : null;
      if (fromCopy) return fromCopy;
      const pairTable = db.raw(pairs.map(() => 'select cast(? as varchar(100)) as first_q, cast(? as varchar(100)) as second_q').join(' union all '),
        pairs.flatMap((p) => [p.first, p.second]));
      const query = db.from(db.raw('(?) as p', [pairTable]))
        .join('answers as f', 'f.question', 'p.first_q')
        .join('answers as s', function sameResponse() { this.on('s.response_id', '=', 'f.response_id').andOn('s.question', '=', 'p.second_q'); })
        .where({ 'f.row': '', 's.row': '' }).whereIn('f.value', [...scale]).whereIn('s.value', [...scale])
        .select('p.first_q as first', db.raw('cast(s.value as integer) - cast(f.value as integer) as difference'), db.raw('count(*) as respondents'))
        .groupBy('p.first_q', db.raw('cast(s.value as integer) - cast(f.value as integer)'));
      inWave(db, query, 'f', wave.id);
      if (filters.length > 0) query.whereIn('f.response_id', matching(wave.id, filters));
      return (await query).map((r: { first: string; difference: unknown; respondents: unknown }) =>
        ({ first: r.first, difference: Number(r.difference), respondents: Number(r.respondents) }));
    },

    /** Filtered respondents per combination of their answers to `first` and `second` (null: not answered). */
    async jointCounts(wave: ScopedWave, filters: readonly Filter[], first: string, second: string | null): Promise<Array<{ first: string | null; second: string | null; respondents: number }>> {
      const copy = await copyOf(wave.id);
      const fromCopy = copy ? copy.jointCounts(copy.select(filters), first, second) : null;
      if (fromCopy) return fromCopy;
      const query = db('responses as r').where('r.wave_id', wave.id)
        .leftJoin('answers as f', function firstAnswer() { this.on('f.response_id', '=', 'r.id').andOnVal('f.question', '=', first).andOnVal('f.row', '=', ''); });
      if (second !== null) {
        query.leftJoin('answers as s', function secondAnswer() { this.on('s.response_id', '=', 'r.id').andOnVal('s.question', '=', second).andOnVal('s.row', '=', ''); });
      }
      if (filters.length > 0) query.whereIn('r.id', matching(wave.id, filters));
      query.select('f.value as first', db.raw('count(*) as respondents')).groupBy('f.value');
      if (second !== null) query.select('s.value as second').groupBy('s.value');
      const rows = await query;
      return rows.map((r: { first: string | null; second: string | null; respondents: unknown }) =>
        ({ first: r.first ?? null, second: r.second ?? null, respondents: Number(r.respondents) }));
    },

    /** Records the first day the wave showed a result with numbers; later calls change nothing. */
    async markResultsShown(waveId: string, day: string): Promise<void> {
      await db('waves').where({ id: waveId }).whereNull('results_shown_on').update({ results_shown_on: day });
    },

    /** Folds at most `limit` of the wave's queued responses into its tallies (server/results/tallies/background-fold.ts). */
    foldQueued(waveId: string, limit: number): Promise<number> {
      return foldQueuedTallies(db, waveId, limit);
    },

    /** The free-text answers to these questions, in random order: the order says nothing about who wrote what. */
    async texts(wave: ScopedWave, filters: readonly Filter[], questions: readonly string[]): Promise<Array<{ question: string; row: string; text: string }>> {
      const query = inWave(db, db('answers as t'), 't', wave.id).whereIn('t.question', [...questions]).whereNotNull('t.text')
        .select('t.question', 't.row', 't.text').orderByRaw('random()');
      if (filters.length > 0) query.whereIn('t.response_id', matching(wave.id, filters));
      return query;
    },
  };
}

/** What a read needs to know of a wave's state besides the wave (findWaveWithState). */
export interface WaveState {
  /** Responses stored but not sealed (held ones included): `awaiting`. */
  pending: number;
  /** Of those, the ones not held back: what a seal of an open wave would take. */
  waiting: number;
  /** Contact details wait to be sealed. */
  contacts: boolean;
  /** The tally queue holds responses of the wave: a fold has work. */
  queued: boolean;
  /** The version of the wave's sealed answers: raised by every commit that adds or deletes some (columns/repository.ts). */
  answers: { epoch: number; version: number };
  /** The same, counter by counter: what the columnar copy's check reads (columns/cache.ts). */
  counters: AnswersCounters;
}

type StateRow = { state_pending: unknown; state_waiting: unknown; state_contacts: unknown; state_queued: unknown; state_epoch: unknown; state_counters: string | null };

function stateOf(row: StateRow): WaveState {
  const epoch = Number(row.state_epoch);
  const stripes = new Map<number, number>();
  let version = 0;
  for (const pair of row.state_counters ? String(row.state_counters).split(',') : []) {
    const [stripe, n] = pair.split(':').map(Number);
    stripes.set(stripe, n);
    version += n;
  }
  return {
    pending: Number(row.state_pending), waiting: Number(row.state_waiting), contacts: Number(row.state_contacts) > 0,
    queued: Number(row.state_queued) > 0, answers: { epoch, version }, counters: { epoch, stripes },
  };
}

interface TallyRow {
  by_value: string;
  question: string;
  row: string;
  value: string;
  respondents: number;
}

export type ResultsRepository = ReturnType<typeof createResultsRepository>;

/** The rows of these questions only; all of them when none are given. */
function onlyQuestions<T extends { question: string }>(rows: T[], questions: readonly string[] | undefined): T[] {
  // Here, not in the SQL: a wave's answers are reached per response, and a list of
  // questions there made SQLite seek every (response, question) pair instead of reading
  // each response's rows at once: 3.7 s instead of 1.0 s at 100,000 responses.
  return questions ? rows.filter((r) => questions.includes(r.question)) : rows;
}

/** tallyRows' key in a read (one-read.ts). */
const talliesKey = (waveId: string, byQuestion: string, byValue?: string) => `tallies ${waveId} ${JSON.stringify([byQuestion, byValue ?? null])}`;

/** Tally rows aggregated as JSON arrays [by_value, question, row, value, respondents] (seriesWavesWithState): as tallyRows reads them. */
function tallyRowsOf(json: unknown): TallyRow[] {
  // PostgreSQL's driver parses json; SQLite's is text.
  const rows = (typeof json === 'string' ? JSON.parse(json) : json ?? []) as Array<[string, string, string, string, unknown]>;
  return rows.map(([by_value, question, row, value, respondents]) => ({ by_value, question, row, value, respondents: Number(respondents) }));
}

/** countRespondents' key in a read (one-read.ts), without filters. */
const respondentsKey = (waveId: string) => `respondents ${waveId}`;

function count(row: { n?: unknown } | undefined): number {
  return Number(row?.n ?? 0);
}

function toTallies<T extends { respondents: unknown }>(rows: T[]): Array<T & { respondents: number }> {
  return rows.map((r) => ({ ...r, respondents: Number(r.respondents) }));
}

interface WaveRow {
  id: string; organisation_id: string; instrument_version_id: string; instrument_key: string; instrument_version: number;
  label: string; mode: 'anonymous' | 'identified'; series: string | null; min_group_size: number; opens_on: string | null;
  closes_on: string | null; status: string; created_at: Date | string; results_shown_on: string | null;
}

/** created_at comes back as a Date (PostgreSQL) or as text (SQLite). */
function isoDay(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : String(value).replace(' ', 'T');
}

function fromRow(row: WaveRow): ScopedWave {
  return {
    id: row.id, organisationId: row.organisation_id, instrumentVersionId: row.instrument_version_id,
    instrumentKey: row.instrument_key, instrumentVersion: Number(row.instrument_version), label: row.label, mode: row.mode,
    series: row.series, minGroupSize: Number(row.min_group_size), opensOn: row.opens_on, closesOn: row.closes_on,
    status: row.status, resultsShownOn: row.results_shown_on ?? null, scoped: true,
  };
}
