import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { storeResponses } from '../helpers/results';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const TOL = 1e-9;

describe('instrument summaries', () => {
  let t: TestApp;
  let admin: Account;
  const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${admin.token}`);

  before(async () => {
    // An MT of four with invitations: its free texts (the agenda) show at the wave's own
    // minimum; an anonymous wave would hold them back below the text minimum (the last tests).
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => t.close());

  describe('Weerman organisatiescan', () => {
    let weerman: Json;

    before(async () => {
      const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', label: 'MT 2026', minGroupSize: 3 });
      const is = { w01: [1, 2, 2, 'dontknow'], w02: [0, 4, 0, 4], w04: [3, 3, 3, 3], w05: ['dontknow', 'dontknow', 1, 2] } as Record<string, unknown[]>;
      const wens = { w01: [3, 4, 3, 4], w02: [4, 4, 4, 4], w04: [2, 2, 2, 2], w05: [2, 2, 2, 2] } as Record<string, number[]>;
      const people = [0, 1, 2, 3].map((i) => {
        const data: Record<string, unknown> = { rol: i < 2 ? 'bestuur_management' : 'hulpverlener' };
        for (const item of Object.keys(is)) {
          data[`${item}_is`] = is[item][i];
          data[`${item}_wens`] = wens[item][i];
        }
        if (i === 0) data.w01_vragen = 'Wat bedoelen we met de derde bron?';
        return data;
      });
      await storeResponses(t.testDb.db, wave.id, people);
      const res = await get(`/api/v1/waves/${wave.id}/summary`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.kind).to.equal('weerman');
      weerman = res.body.weerman;
    });
    const itemOf = (id: string) => weerman.items.find((i: Json) => i.id === id);

    it('describes current and desired on the 0-4 scale without "weet ik niet", with R\'s quartiles', () => {
      const w01 = itemOf('w01');
      expect(w01.current).to.include({ name: 'w01_is', answered: 4, n: 3, dontKnow: 1, dontKnowShare: 0.25, median: 2, q1: 1.5, q3: 2, iqr: 0.5, min: 1, max: 2 });
      expect(w01.current.mean).to.be.closeTo(5 / 3, TOL);
      expect(w01.current.distribution.map((d: Json) => d.count)).to.deep.equal([0, 1, 2, 0, 0, 1]);
      expect(w01.current.distribution[5]).to.deep.equal({ value: 'dontknow', label: 'Weet ik niet', count: 1 });
      expect(w01.desired).to.include({ n: 4, median: 3.5 });
    });

    it('takes the gap per respondent (desired − current), leaving out anyone who answered "weet ik niet"', () => {
      const w01 = itemOf('w01');
      expect(w01.gap).to.include({ n: 3, median: 2, suppressed: false });
      expect(w01.gap.mean).to.be.closeTo(5 / 3, TOL);
      expect(w01.gap.distribution).to.deep.equal([{ gap: 1, count: 1 }, { gap: 2, count: 2 }]);
      // Not even n: two who answered both is the small group the minimum protects.
      expect(itemOf('w05').gap).to.deep.equal({ n: null, suppressed: true });
    });

    it('flags priority, disagreement, blind spots and negative gaps, and ranks the items by gap', () => {
      expect(itemOf('w01').flags).to.deep.equal({ priority: false, disagreement: false, blindSpot: false, negativeGap: false });
      expect(itemOf('w02').flags).to.deep.equal({ priority: true, disagreement: true, blindSpot: false, negativeGap: false });
      expect(itemOf('w04').flags).to.include({ negativeGap: true });
      expect(itemOf('w05').flags).to.include({ blindSpot: true });
      expect(itemOf('w03').current).to.deep.equal({ name: 'w03_is', answered: null, suppressed: true });
      expect(itemOf('w03').flags).to.equal(null);
      expect(weerman.ranking.map((r: Json) => r.id)).to.deep.equal(['w02', 'w01', 'w04']);
      expect(weerman.thresholds).to.deep.equal({ priorityGap: 2, disagreementIqr: 2, disagreementRange: 3, blindSpotShare: 0.3 });
      expect(weerman.sources).to.have.length(4);
    });

    it('collects the "Welke vragen?" per item as the agenda', () => {
      expect(itemOf('w01').questions).to.deep.equal(['Wat bedoelen we met de derde bron?']);
      expect(itemOf('w02').questions).to.deep.equal([]);
    });
  });

  describe('Valente six steps', () => {
    let body: Json;

    before(async () => {
      const series = 'actieplan';
      const before = await createWave(t.app, admin, { instrument: 'valente-zes-stappen', mode: 'identified', label: '2025', series, opensAt: '2025-01-01' });
      await storeResponses(t.testDb.db, before.id, [{ s1a1_status: 'bezig' }]);
      const wave = await createWave(t.app, admin, { instrument: 'valente-zes-stappen', mode: 'identified', label: '2026', series, opensAt: '2026-01-01' });
      const nvt = (action: string) => ({ [`${action}_status`]: 'nvt', [`${action}_reden`]: 'Past niet bij ons.' });
      await storeResponses(t.testDb.db, wave.id, [{
        s1a1_status: 'gerealiseerd', s1a2_besluit: 'niet', s1a2_motivatie: 'Al gedaan met de Weerman-scan.', s1a3_status: 'bezig',
        ...nvt('s2a1'), s2a2_besluit: 'wel', s2a2_status: 'in_voorbereiding',
        s3a1_status: 'niet_gestart',
        ...nvt('s4a1'), s4a2_status: 'gerealiseerd', s4a2_kerntaken: { a: 'ja', b: 'deels' },
        ...nvt('s6a1'), ...nvt('s6a2'), ...nvt('s6a3'), ...nvt('s6a4'),
      }]);
      const res = await get(`/api/v1/waves/${wave.id}/summary`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      body = res.body;
    });
    const progress = () => body.valente.steps.map((s: Json) => s.progress);

    it('shows the organisation\'s plan of an identified wave even below the minimum group size, and says why', () => {
      expect(body).to.include({ kind: 'valente', n: 1, suppressed: false });
      expect(body.message).to.contain('organisatie');
    });

    it('scores the steps 0, ⅓, ⅔, 1, leaves "niet van toepassing" out and counts a motivated "niet" as done', () => {
      const [s1, s2, s3, s4, s5, s6] = progress();
      expect(s1).to.be.closeTo(100 * (1 + 1 + 2 / 3) / 3, TOL);
      expect(s2).to.be.closeTo(100 / 3, TOL);
      expect([s3, s4, s5, s6]).to.deep.equal([0, 100, 0, null]);
      expect(body.valente.steps[3].done).to.equal(true);
      expect(body.valente.overall).to.be.closeTo((s1 + s2 + 0 + 100 + 0) / 5, TOL);
      expect(body.valente.actionWeighted).to.be.closeTo(100 * 4 / 12, TOL);
    });

    it('lists the open actions, the decisions taken and the core tasks', () => {
      expect(body.valente.openActions.map((a: Json) => a.id)).to.deep.equal(['s1a3', 's2a2', 's3a1', 's3a2', 's5a1', 's5a2', 's5a3', 's5a4', 's5a5']);
      expect(body.valente.openActions[0]).to.include({ step: 1, number: 3, status: 'Bezig' });
      expect(body.valente.decisions.map((d: Json) => d.id)).to.deep.equal(['s1a2', 's2a2']);
      const coreTasks = body.valente.steps[3].actions[1].coreTasks;
      expect(coreTasks[0].options.find((o: Json) => o.value === 'ja').count).to.equal(1);
    });

    it('shows the change since the previous wave of the series', () => {
      const change = body.valente.change;
      expect(change.wave.label).to.equal('2025');
      expect(change.overall).to.be.closeTo(body.valente.overall - (100 * (2 / 3) / 3) / 6, TOL);
      expect(change.steps[0].change).to.be.closeTo(progress()[0] - 100 * (2 / 3) / 3, TOL);
      expect(change.steps[5].change).to.equal(null);
    });
  });

  it('shows no summary for an anonymous wave below the minimum', async () => {
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Klein', minGroupSize: 3 });
    await storeResponses(t.testDb.db, wave.id, [{ w01_is: 2 }, { w01_is: 3 }]);
    const res = await get(`/api/v1/waves/${wave.id}/summary`);
    expect(res.body).to.include({ kind: 'weerman', suppressed: true, weerman: null });
  });

  // Issue 13: the scan's "Welke vragen?" now tell the respondent that the question goes, without
  // a name, onto the agenda of the team's conversation (meta.views.weerman.agendaForGroup), so an
  // anonymous MT of four sees them at the wave's minimum too. Free texts that were not written
  // for the group keep the text minimum (agendaMinimum in test/unit/results/weerman-session.test.ts).
  for (const [mode, shown] of [['anonymous', true], ['identified', true]] as const) {
    it(mode === 'identified'
      ? 'shows an identified MT of four its "Welke vragen?": each answer belongs to an invitation, the wave\'s own minimum holds'
      : 'shows an anonymous MT of four its "Welke vragen?": they were written for the group\'s agenda, the wave\'s own minimum holds', async () => {
      const other = await createTestApp();
      try {
        const manager = await setupAdmin(other.app);
        const wave = await createWave(other.app, manager, { instrument: 'weerman-organisatiescan', mode, label: 'MT', minGroupSize: 3 });
        await storeResponses(other.testDb.db, wave.id, [0, 1, 2, 3].map((i) => ({ w01_is: 2, w01_wens: 3, w01_vragen: `Vraag ${i}` })));
        const res = await request(other.app).get(`/api/v1/waves/${wave.id}/summary`).set('Authorization', `Bearer ${manager.token}`);
        expect(res.body.suppressed).to.equal(false);
        if (shown) {
          expect(res.body.weerman.items[0].questions).to.have.members(['Vraag 0', 'Vraag 1', 'Vraag 2', 'Vraag 3']);
        } else {
          expect(res.body.weerman.items[0].questions).to.equal(null);
          expect(JSON.stringify(res.body)).not.to.contain('Vraag 0');
        }
      } finally {
        await other.close();
      }
    });
  }
});
