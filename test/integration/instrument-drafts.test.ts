// Drafts of the instrument upload page in the database (server/instruments/drafts.ts): any
// process finds one until it expires after an hour; expired ones are deleted when a new one
// is added; only the newest 100 are kept; a removed account takes its drafts along.
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { createStore } from '../../server/store';
import { createDraftStore, DRAFT_TTL_MS } from '../../server/instruments/drafts';
import type { InstrumentFile } from '../../server/instruments/instrument-file';

const file: InstrumentFile = {
  key: 'concept', title: 'Concept', meta: {}, hash: 'h', file: 'upload.json',
  definition: { pages: [{ name: 'p', elements: [{ type: 'text', name: 'q', title: 'Hoe heet u níet?' }] }] },
};

describe('instrument drafts in the database', () => {
  let t: TestDb;
  let userId: string;
  let clock = 1_800_000_000_000;
  const now = () => clock;
  beforeEach(async () => {
    t = await createTestDb();
    const store = createStore(t.db);
    const organisation = await store.repos.organisations.create('Opvang Noord');
    userId = (await store.repos.users.create({ organisationId: organisation.id, role: 'manager', email: 'm@noord.test', passwordHash: 'x' })).id;
  });
  afterEach(async () => t.close());
  const drafts = () => createDraftStore(createStore(t.db).repos.instrumentDrafts, now);
  const count = async () => Number((await t.db('instrument_drafts').count({ n: '*' }).first())!.n);

  it('gives another store on the same database the same draft, for its owner only, until it expires', async () => {
    const body = { title: 'Concept', pages: [] };
    const made = await drafts().add({ userId, body, key: 'concept', organisationId: undefined, file });
    const found = await drafts().getFor(userId, made.id);
    expect(found).to.deep.include({ id: made.id, userId, key: 'concept', organisationId: undefined, body, file });
    expect(found!.expiresAt - found!.createdAt).to.equal(DRAFT_TTL_MS);
    expect(await drafts().getFor('someone-else', made.id)).to.equal(undefined);
    expect(await drafts().get(made.id)).not.to.equal(undefined);
    clock += DRAFT_TTL_MS;
    expect(await drafts().get(made.id), 'expired after an hour').to.equal(undefined);
  });

  it('deletes expired drafts when one is added, and keeps the newest 100', async () => {
    const first = await drafts().add({ userId, body: {}, key: undefined, organisationId: undefined, file });
    clock += DRAFT_TTL_MS + 1;
    await drafts().add({ userId, body: {}, key: undefined, organisationId: undefined, file });
    expect(await t.db('instrument_drafts').where({ id: first.id }).first()).to.equal(undefined);
    expect(await count()).to.equal(1);
    const made = [];
    for (let i = 0; i < 100; i++) { clock += 1; made.push(await drafts().add({ userId, body: { i }, key: undefined, organisationId: undefined, file })); }
    expect(await count()).to.equal(100);
    expect(await drafts().get(made[0].id)).not.to.equal(undefined);
    expect((await drafts().get(made[99].id))!.body).to.deep.equal({ i: 99 });
  });

  it('goes with its account, and once removed', async () => {
    const made = await drafts().add({ userId, body: {}, key: undefined, organisationId: undefined, file });
    await drafts().remove(made.id);
    expect(await drafts().get(made.id)).to.equal(undefined);
    await drafts().add({ userId, body: {}, key: undefined, organisationId: undefined, file });
    await t.db('users').where({ id: userId }).delete();
    expect(await count()).to.equal(0);
  });
});
