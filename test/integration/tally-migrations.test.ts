import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { tnoReportResponses } from '../../server/demo/tno-report';
import { migrationSource } from '../../migrations';
import { toAnswerRows } from '../../server/responses/long-format';
import { instrumentModel } from '../../server/results/instrument-model';
import { rebuildTallies } from '../../server/results/tallies/repository';

describe('tallying the answers stored before the tallies existed', () => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb({ migrate: false }); });
  afterEach(async () => t.close());

  it('gives the same tallies as the living code, on upgrade', async () => {
    // Up to the last migration before the tallies, then answers stored the old way.
    for (;;) {
      const [, pending] = await t.db.migrate.list({ migrationSource }) as [unknown[], Array<[string]>];
      if (pending[0][0] === '20261123090000_create_answer_tallies') break;
      await t.db.migrate.up({ migrationSource });
    }
    const file = testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!;
    const versionId = crypto.randomUUID();
    await t.db('organisations').insert({ id: 'org', name: 'Opvang' });
    await t.db('instrument_versions').insert({
      id: versionId, key: file.key, version: 1, title: file.title, hash: file.hash, definition: JSON.stringify(file.definition), meta: JSON.stringify(file.meta),
    });
    await t.db('waves').insert({ id: 'wave', organisation_id: 'org', instrument_version_id: versionId, label: 'Oud', mode: 'anonymous', status: 'open' });
    const types = new Map(instrumentModel({ id: versionId, key: file.key, version: 1, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta })
      .questions.map((q) => [q.name, q.type]));
    for (const data of tnoReportResponses().slice(50, 110)) {
      const id = crypto.randomUUID();
      await t.db('responses').insert({ id, wave_id: 'wave', submission_id: crypto.randomUUID(), submitted_on: '2026-01-01', data: JSON.stringify(data) });
      await t.db('answers').insert(toAnswerRows(data, types).map((a) => ({ ...a, response_id: id, wave_id: 'wave' })));
    }

    await t.db.migrate.latest({ migrationSource });
    const snapshot = async () => (await t.db('answer_tallies').select('by_question', 'by_value', 'question', 'row', 'value', 'respondents'))
      .map((r) => JSON.stringify({ ...r, respondents: Number(r.respondents) })).sort();
    const migrated = await snapshot();
    expect(migrated.some((r) => r.includes('"by_question":"b_role&c_ervaring"'))).to.equal(true);
    await rebuildTallies(t.db, 'wave');
    expect(await snapshot()).to.deep.equal(migrated);
  });
});
