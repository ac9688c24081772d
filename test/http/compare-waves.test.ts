import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { contentHash, InstrumentFile } from '../../server/instruments/instrument-file';
import { createLogger } from '../../server/log';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account, testInstrumentFiles } from '../helpers/app';
import { storeResponses, times } from '../helpers/results';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The quickscan with e_wenselijk reworded, row t5_1 reworded and a choice of f_leren relabelled. */
function editedQuickscan(): InstrumentFile {
  const original = testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!;
  const definition = structuredClone(original.definition) as Json;
  const questions = (definition.pages as Json[]).flatMap((p) => p.elements as Json[]);
  questions.find((q) => q.name === 'e_wenselijk')!.title = 'Het is goed als professionals met eigen ervaring die ervaring delen:';
  questions.find((q) => q.name === 't5')!.rows[0].text = 'Zorgen over onveiligheid thuis bespreekbaar te maken.';
  questions.find((q) => q.name === 'f_leren')!.choices[2].text = 'Neutraal / weet niet';
  const edited = { ...original, definition };
  edited.hash = contentHash({ key: edited.key, title: edited.title, meta: edited.meta, definition: edited.definition });
  return edited;
}

describe('comparing waves and following a series', () => {
  let t: TestApp;
  let admin: Account;
  let other: Account;
  let waves: Array<{ id: string }>;
  const get = (path: string, as: Account = admin) => request(t.app).get(path).set('Authorization', `Bearer ${as.token}`);
  const series = 'quickscan-medewerkers';

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    other = await createUser(t.app, admin, { email: 'manager@oost.test', role: 'manager', organisationId: await createOrganisation(t.app, admin, 'Opvang Oost') });
    const first = await createWave(t.app, admin, { label: '0-meting', series, opensAt: '2024-03-01' });
    // The next year's waves run on a revised instrument: a second app on the same database, as after an upgrade.
    const catalogue = await createInstrumentCatalogue(t.testDb.db, [editedQuickscan()]);
    const upgraded = await createApp({ config: t.config, db: t.testDb.db, instruments: catalogue, log: createLogger('silent') });
    const next = async (label: string, opensAt: string) => {
      const res = await request(upgraded).post('/api/v1/waves').set('Authorization', `Bearer ${admin.token}`)
        .send({ instrument: 'tno-quickscan', label, mode: 'anonymous', series, opensAt });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.version).to.equal(2);
      return res.body as { id: string };
    };
    const second = await next('1-meting', '2025-03-01');
    const third = await next('2-meting (klein)', '2025-09-01');
    waves = [first, second, third];
    await storeResponses(t.testDb.db, first.id, [
      ...times(10, { b_role: 'professional', c_ervaring: 'ja', e_wenselijk: 3, f_leren: 4, t5: { t5_1: 4, t5_2: 4 } }),
      ...times(10, { b_role: 'student', c_ervaring: 'nee', e_wenselijk: 2, f_leren: 5, t5: { t5_1: 5, t5_2: 5 } }),
    ]);
    await storeResponses(t.testDb.db, second.id, [
      ...times(4, { b_role: 'professional', c_ervaring: 'ja', e_wenselijk: 3, f_leren: 4, t5: { t5_1: 4, t5_2: 4 } }),
      ...times(16, { b_role: 'student', c_ervaring: 'nee', e_wenselijk: 2, f_leren: 5, t5: { t5_1: 5, t5_2: 5 } }),
    ]);
    await storeResponses(t.testDb.db, third.id, times(3, { b_role: 'student', c_ervaring: 'nee' }));
  });
  after(async () => t.close());

  it('compares waves as the groups, only on the items that are the same in both versions', async () => {
    const res = await get(`/api/v1/compare?waves=${waves[0].id},${waves[1].id}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.by).to.deep.include({ name: 'wave', title: 'Meting', excluded: [] });
    expect(res.body.by.groups).to.deep.equal([{ value: waves[0].id, label: '0-meting', n: 20 }, { value: waves[1].id, label: '1-meting', n: 20 }]);
    const notComparable = res.body.notComparable.map((x: Json) => [x.name, x.row ?? null, x.reason]);
    expect(notComparable).to.deep.equal([['e_wenselijk', null, 'text-changed'], ['f_leren', null, 'choices-changed'], ['t5', 't5_1', 'text-changed']]);
    expect(res.body.notComparable[0].message).to.equal('De vraagtekst verschilt tussen de versies.');
    const names = res.body.items.map((i: Json) => (i.row ? `${i.name}.${i.row}` : i.choice ? `${i.name}.${i.choice}` : i.name));
    expect(names).to.include.members(['b_role', 'c_ervaring', 't5.t5_2']);
    expect(names).not.to.include.members(['e_wenselijk', 'f_leren', 't5.t5_1']);
    const role = res.body.items.find((i: Json) => i.name === 'b_role');
    expect(role.counts).to.deep.equal([[10, 10], [4, 16]]);
    expect(role.groups).to.deep.equal([waves[0].id, waves[1].id]);
    expect(role.test.text).to.match(/^Χ² \(1, N = \d+\) = /);
    // R: chisq.test(rbind(c(10,10), c(4,16)), correct=FALSE) -> X-squared = 3.956, p = 0.04671; stdres ±1.989.
    // Significant, but no cell passes the threshold corrected for four cells (qnorm(1 - 0.05/8) = 2.498): no marks.
    expect(role.test.pAdjusted).to.be.below(0.05);
    expect(role.markThreshold).to.be.closeTo(2.4977054744123737, 1e-12);
    expect(role.significantCells).to.deep.equal([[false, false], [false, false]]);
    expect(role.sentence).to.equal('De groepen verschillen significant, maar bij geen enkel antwoord afzonderlijk duidelijk.');
  });

  it('leaves out a wave below the minimum and says so', async () => {
    const res = await get(`/api/v1/compare?waves=${waves.map((w) => w.id).join(',')}`);
    expect(res.body.by.groups).to.have.length(2);
    expect(res.body.by.excluded).to.deep.equal([{ value: waves[2].id, label: '2-meting (klein)', reason: 'below-minimum' }]);
  });

  it('applies a filter in every wave, and the complement rule in each', async () => {
    const res = await get(`/api/v1/compare?waves=${waves[0].id},${waves[1].id}&filter=b_role:student`);
    // 1-meting's 16 students leave 4 professionals: its whole minus its students would give them back.
    expect(res.body.by.groups.map((g: Json) => g.n)).to.deep.equal([10]);
    expect(res.body.by.excluded).to.deep.equal([{ value: waves[1].id, label: '1-meting', reason: 'below-minimum' }]);
    expect(res.body.items.some((i: Json) => i.name === 'b_role')).to.equal(false);
    const both = await get(`/api/v1/compare?waves=${waves[0].id},${waves[1].id}&filter=c_ervaring:nee`);
    expect(both.body.by.excluded).to.deep.equal([{ value: waves[1].id, label: '1-meting', reason: 'below-minimum' }]);
    const few = await get(`/api/v1/compare?waves=${waves[0].id},${waves[1].id}&filter=b_role:professional`);
    expect(few.body.by.groups.map((g: Json) => g.label)).to.deep.equal(['0-meting']);
    expect(few.body.suppressed).to.equal(true);
  });

  it('answers 404 when any wave is not the caller\'s, 422 for other instruments or fewer than two waves', async () => {
    const theirs = await createWave(t.app, other, { label: 'Oost' });
    const missing = await get(`/api/v1/compare?waves=${theirs.id},00000000-0000-4000-8000-000000000000`, other);
    expect(missing.status).to.equal(404);
    const foreign = await get(`/api/v1/compare?waves=${theirs.id},${waves[0].id}`, other);
    expect(foreign.status).to.equal(404);
    expect(foreign.body).to.deep.equal(missing.body);
    expect((await get(`/api/v1/compare?waves=${waves[0].id},${waves[1].id}`, other)).status).to.equal(404);
    const weerman = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Scan' });
    expect((await get(`/api/v1/compare?waves=${waves[0].id},${weerman.id}`)).status).to.equal(422);
    expect((await get(`/api/v1/compare?waves=${waves[0].id},${waves[0].id}`)).status).to.equal(422);
  });

  it('shows a series in order, every comparable item per wave side by side, with the comparison between the waves', async () => {
    const res = await get(`/api/v1/series/${series}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.instrument).to.equal('tno-quickscan');
    expect(res.body.waves.map((w: Json) => [w.label, w.version, w.n, w.suppressed])).to.deep.equal([
      ['0-meting', 1, 20, false], ['1-meting', 2, 20, false], ['2-meting (klein)', 2, 3, true]]);
    const role = res.body.items.find((i: Json) => i.name === 'b_role');
    expect(role.waves.map((w: Json) => w.n)).to.deep.equal([20, 20, null]);
    expect(role.waves[1].options.map((o: Json) => [o.value, o.count, o.percent])).to.deep.equal([['professional', 4, 20], ['student', 16, 80]]);
    expect(role.waves[2]).to.deep.equal({ wave: waves[2].id, n: null, suppressed: true, options: [{ value: 'professional', label: 'Professional' }, { value: 'student', label: 'Student' }] });
    expect(res.body.notComparable.map((x: Json) => x.name)).to.deep.equal(['e_wenselijk', 'f_leren', 't5']);
    expect(res.body.comparison.by.groups).to.have.length(2);
    expect(res.body.comparison.by.excluded[0].reason).to.equal('below-minimum');
  });

  it('answers 404 for a series that is not the caller\'s', async () => {
    expect((await get(`/api/v1/series/${series}`, other)).status).to.equal(404);
    const orgId = (await get(`/api/v1/waves/${waves[0].id}`)).body.organisationId;
    expect((await get(`/api/v1/series/${series}?organisationId=${orgId}`, other)).status).to.equal(404);
    expect((await get(`/api/v1/series/${series}?organisationId=${orgId}`)).status).to.equal(200);
  });
});
