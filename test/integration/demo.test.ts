import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore } from '../../server/store';
import { createDemo } from '../../server/demo/demo';

describe('the demo organisation', () => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(); });
  afterEach(async () => t.close());

  it('creates a 0-meting and a 1-meting of every instrument with valid answers, the quickscan from the TNO report', async function () {
    this.timeout(60000);
    const store = createStore(t.db);
    const outcome = await createDemo(store, await createInstrumentCatalogue(t.db, testInstrumentFiles()));
    expect(outcome.created).to.equal(true);
    expect(outcome.waves.map((w) => `${w.instrument} ${w.label}`)).to.deep.equal([
      'weerman-organisatiescan 0-meting 2025', 'weerman-organisatiescan 1-meting 2026',
      'valente-zes-stappen 0-meting 2025', 'valente-zes-stappen 1-meting 2026',
      'tno-quickscan 0-meting 2025 (TNO-rapport)', 'tno-quickscan 1-meting 2026',
    ]);
    expect(outcome.waves[4].responses).to.equal(131);
    for (const wave of await store.repos.waves.list({ organisationId: outcome.organisationId })) {
      expect(wave.responses, wave.label).to.be.at.least(5);
      expect(wave.series, wave.label).to.be.a('string');
    }
    expect(outcome.login?.email).to.equal('demo@spiegel.invalid');
  });

  it('does nothing the second time', async function () {
    this.timeout(60000);
    const store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    await createDemo(store, catalogue);
    const again = await createDemo(store, catalogue);
    expect(again.created).to.equal(false);
    expect(await store.repos.waves.list({ organisationId: null })).to.have.length(6);
  });
});
