// Puts answers straight into a wave through the responses repository (as the benchmark
// does), for results tests that need many respondents: validating every submission with
// survey-core takes ~80 ms, and the submission endpoint has tests of its own. The data
// must be what validation would keep (no answers to questions the respondent was not shown).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createStore } from '../../server/store';
import { createInstrumentRepository } from '../../server/instruments/repository';
import { instrumentModel } from '../../server/results/instrument-model';
import { toAnswerRows } from '../../server/responses/long-format';

export async function storeResponses(db: Knex, waveId: string, responses: Array<Record<string, unknown>>): Promise<void> {
  const wave = await db('waves').where({ id: waveId }).first('instrument_version_id');
  const version = await createInstrumentRepository(db).findById(wave.instrument_version_id);
  const types = new Map(instrumentModel(version!).questions.map((q) => [q.name, q.type]));
  await createStore(db).repos.responses.insertMany(waveId, responses.map((data) => ({
    id: crypto.randomUUID(), submissionId: crypto.randomUUID(), submittedOn: '2026-11-23', data, answers: toAnswerRows(data, types),
  })));
}

/** `count` copies of the same answers. */
export function times<T>(count: number, data: T): T[] {
  return Array.from({ length: count }, () => structuredClone(data));
}
