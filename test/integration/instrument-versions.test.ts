import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { contentHash, InstrumentFile } from '../../server/instruments/instrument-file';

describe('instrument versions in the database', () => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(); });
  afterEach(async () => t.close());

  it('stores each file once, as version 1, and reuses it on the next start', async () => {
    const first = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const again = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    expect((await first.list()).map((i) => i.version)).to.deep.equal([1, 1, 1, 1]);
    expect((await again.list()).map((i) => i.id)).to.deep.equal((await first.list()).map((i) => i.id));
  });

  it('makes a new version when a file changes, and keeps the old one for existing waves', async () => {
    const original = testInstrumentFiles().find((f) => f.key === 'weerman-organisatiescan')!;
    const v1 = await createInstrumentCatalogue(t.db, [original]);
    const edited: InstrumentFile = { ...original, title: `${original.title} (herzien)` };
    edited.hash = contentHash({ key: edited.key, title: edited.title, meta: edited.meta, definition: edited.definition });
    const v2 = await createInstrumentCatalogue(t.db, [edited]);

    const oldVersion = (await v1.latest(original.key))!;
    expect((await v2.latest(original.key))!.version).to.equal(2);
    expect((await v2.latest(original.key))!.hash).not.to.equal(oldVersion.hash);
    const kept = await v2.byVersionId(oldVersion.id);
    expect(kept!.version).to.equal(1);
    expect(kept!.title).to.equal(original.title);
  });
});
