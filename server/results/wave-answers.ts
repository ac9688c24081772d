import type { Knex } from 'knex';

/**
 * Restricts a query over answers (alias `alias`) to one wave's. The answers table has no
 * index by wave, because keeping one made every submission slower as a wave grew
 * (migration 20261123110000): a wave's response ids come from responses_by_wave, and each
 * response's answers from answers_by_response.
 */
export function inWave(db: Knex | Knex.Transaction, query: Knex.QueryBuilder, alias: string, waveId: string): Knex.QueryBuilder {
  return query.whereIn(`${alias}.response_id`, db('responses').where('wave_id', waveId).select('id'));
}
