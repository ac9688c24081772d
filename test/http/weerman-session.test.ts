// The Weerman scan in a session (issue 13): a 4-person MT scores alone in an anonymous wave
// (the instrument's own minimum of 3), then the session view shows per item the spread, the
// largest gaps, the disagreements and negative gaps with their rules in words, and the
// "Welke vragen?" once each as the agenda. The dashboard's chart and ranking table use one
// measure (the mean paired gap) in one order.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { storeResponses } from '../helpers/results';
import { sealPending } from '../helpers/seal';

// Item 1: medians 2 → 2 (difference of medians 0) but personal gaps 2, 2, 0, 0 (mean 1).
// Item 2: medians 1 → 2,5 (difference 1,5) but personal gaps 1, 1, 1, 0 (mean 0,75).
// By the difference of medians item 2 comes first; by the mean paired gap item 1 does.
// Item 3: current 0 and 4 among the four (range 4): a disagreement. Item 4: one member sets
// desired below current (a negative gap). Item 5: everyone agrees, no gap.
const MT: Array<Record<string, unknown>> = [
  { rol: 'bestuur_management', w01_is: 0, w01_wens: 2, w02_is: 1, w02_wens: 2, w03_is: 0, w03_wens: 3, w04_is: 3, w04_wens: 2, w05_is: 2, w05_wens: 2,
    w01_vragen: 'Wie is eigenaar van dit onderwerp?', w03_vragen: 'Wat kost het?' },
  { rol: 'bestuur_management', w01_is: 0, w01_wens: 2, w02_is: 1, w02_wens: 2, w03_is: 4, w03_wens: 4, w04_is: 2, w04_wens: 2, w05_is: 2, w05_wens: 2,
    w02_vragen: 'wie is  eigenaar van dit onderwerp' },
  { rol: 'beleid_kwaliteit', w01_is: 2, w01_wens: 2, w02_is: 2, w02_wens: 3, w03_is: 1, w03_wens: 3, w04_is: 2, w04_wens: 3, w05_is: 2, w05_wens: 2 },
  { rol: 'hulpverlener', w01_is: 2, w01_wens: 2, w02_is: 3, w02_wens: 3, w03_is: 1, w03_wens: 3, w04_is: 2, w04_wens: 3, w05_is: 2, w05_wens: 2,
    w03_vragen: 'Wat kost het?' },
];

describe('the Weerman scan in a session', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  let waveId: string;
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'MT-sessie 2026', series: 'mt-scan' });
    waveId = wave.id;
    await storeResponses(t.testDb.db, waveId, MT);
    await sealPending(t.testDb.db);
  });
  after(async () => t.close());

  it('gives a new Weerman wave the instrument\'s own minimum of 3 (meta.minGroupSize), and others 5', async () => {
    const weerman = (await request(t.app).get(`/api/v1/waves/${waveId}`).set(auth())).body;
    expect(weerman.minGroupSize).to.equal(3);
    expect((await createWave(t.app, admin, { label: 'Quickscan' })).minGroupSize).to.equal(5);
    expect((await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Met 6', minGroupSize: 6 })).minGroupSize).to.equal(6);
  });

  it('sorts the chart and the ranking table by the same measure, the mean paired gap, and says so', async () => {
    const summary = (await request(t.app).get(`/api/v1/waves/${waveId}/summary`).set(auth())).body;
    const ranking = summary.weerman.ranking as Array<{ number: number; meanGap: number }>;
    expect(ranking.slice(0, 3).map((r) => r.number)).to.deep.equal([3, 1, 2]);
    expect(ranking.find((r) => r.number === 1)!.meanGap).to.equal(1);
    expect(ranking.find((r) => r.number === 2)!.meanGap).to.equal(0.75);
    expect(summary.weerman.measure).to.equal('mean-paired-gap');

    const page = await request(t.app).get(`/waves/${waveId}/summary`).set(auth());
    expect(page.status).to.equal(200);
    const chart = chartsOf(page.text)[0]!;
    const chartOrder = chart.labels.map((l) => Number(String(Array.isArray(l) ? l[0] : l).split('.')[0]));
    const table = page.text.slice(page.text.indexOf('<caption>Rangorde van de verschillen'));
    const tableOrder = [...table.slice(0, table.indexOf('</table>')).matchAll(/<th scope="row">(\d+)\. /g)].map((m) => Number(m[1]));
    expect(chartOrder).to.deep.equal(tableOrder);
    expect(chartOrder).to.deep.equal(ranking.map((r) => r.number));
    expect(chart.series[0]!.values).to.deep.equal(ranking.map((r) => r.meanGap));
    expect(page.text).to.contain('Verschil = het gemiddelde van ieders eigen verschil');
  });

  it('answers the session as JSON: spread per item, largest gaps, disagreements, negative gaps and the agenda', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/session`).set(auth());
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.n).to.equal(4);
    expect(res.body.attribution).to.contain('Alie Weerman');
    expect(res.body.rules.text.disagreement).to.contain('3 of meer punten');
    const s = res.body.session;
    const w01 = s.items.find((i: { id: string }) => i.id === 'w01');
    expect(w01.current.distribution.map((d: { count: number }) => d.count)).to.deep.equal([2, 0, 2, 0, 0, 0]);
    expect(w01.desired.distribution.map((d: { count: number }) => d.count)).to.deep.equal([0, 0, 4, 0, 0, 0]);
    expect(w01.gap).to.include({ mean: 1, below: 0 });
    expect(s.largestGaps.map((g: { number: number }) => g.number)).to.deep.equal([3, 1, 2, 4]);
    expect(s.disagreements.map((d: { id: string }) => d.id)).to.deep.equal(['w01', 'w03']); // w01: IQR of 0, 0, 2, 2 is 2
    expect(s.disagreements[1]).to.include({ min: 0, max: 4 });
    expect(s.negativeGaps).to.deep.equal([{ id: 'w04', number: 4, title: 'Is de specifieke bijdrage van ervaringsdeskundigheid verantwoord?', participants: 1, of: 4, meanGap: 0.25 }]);
    // The same question under two items, and one asked twice: each once on the agenda.
    const agenda = s.agenda as Array<{ text: string; count: number; items: Array<{ id: string }> }>;
    expect(agenda).to.have.length(2);
    const owner = agenda.find((a) => a.text.toLowerCase().startsWith('wie is'))!;
    expect(owner.count).to.equal(2);
    expect(owner.items.map((i) => i.id).sort()).to.deep.equal(['w01', 'w02']);
    expect(agenda.find((a) => a.text === 'Wat kost het?')).to.deep.include({ count: 2, items: [{ id: 'w03', number: 3, title: 'Is er concreet uitgewerkt beleid voor het benutten van ervaringskennis als ‘derde bron van kennis’?' }] });
  });

  it('shows the same "Welke vragen?" on the texts page as in the session: one minimum for the agenda', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/texts?question=w03_vragen`).set(auth());
    expect(res.status).to.equal(200);
    expect(res.body.suppressed).to.equal(false);
    expect(res.body.texts.map((x: { text: string }) => x.text)).to.deep.equal(['Wat kost het?', 'Wat kost het?']);
    expect(res.body.question.context).to.equal('3. Is er concreet uitgewerkt beleid voor het benutten van ervaringskennis als ‘derde bron van kennis’?');
  });

  it('shows the session page without staff chrome, with the rules in words and the way to the team record', async () => {
    const res = await request(t.app).get(`/waves/${waveId}/session`).set(auth());
    expect(res.status).to.equal(200);
    expect(res.text).not.to.contain('class="site-header"');
    expect(res.text).to.contain('Gemarkeerd als de hoogste en de laagste score voor ‘Wat is er?’ 3 of meer punten uiteenliggen');
    expect(res.text).to.contain('Volgens de toelichting bij de scan bespreken we elke vraag waarbij iemand het wenselijke niveau lager zette');
    expect(res.text).to.contain('Wat kost het?').and.contain('Alie Weerman');
    expect(res.text).to.match(/href="\/waves\/new\?instrument=weerman-organisatiescan&amp;mode=team&amp;label=Afspraken\+MT-sessie\+2026&amp;series=mt-scan"/);
    // The form it opens is filled in for the team wave (nothing made until it is sent).
    const form = await request(t.app).get('/waves/new?instrument=weerman-organisatiescan&mode=team&label=Afspraken&series=mt-scan').set(auth());
    expect(form.text).to.contain('value="Afspraken"').and.contain('value="mt-scan"').and.contain('value="3"');
  });

  it('shows no session below the minimum, and says so', async () => {
    const small = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Te klein' });
    await storeResponses(t.testDb.db, small.id, MT.slice(0, 2));
    await sealPending(t.testDb.db);
    const res = await request(t.app).get(`/api/v1/waves/${small.id}/session`).set(auth());
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ suppressed: true, session: null });
    const page = await request(t.app).get(`/waves/${small.id}/session`).set(auth());
    expect(page.text).to.contain('vanaf 3 ingevulde scans').and.not.contain('Wat kost het?');
  });

  it('writes the running title of a print as a CSS string that no text can end', async () => {
    const res = await request(t.app).get('/print/running.css').query({ text: 'Opvang "Noord"; } </style> @import url(x) \\ ·' }).set(auth());
    expect(res.status).to.equal(200);
    expect(res.type).to.equal('text/css');
    const inside = res.text.slice(res.text.indexOf('content: "') + 10, res.text.indexOf('"; font-size'));
    expect(inside).not.to.match(/["<>;(){}]/);
    expect(inside).to.contain('Opvang \\22 Noord\\22 ');
    expect((await request(t.app).get('/print/running.css')).status).to.equal(303); // to the login page
  });

  it('has no session view for another instrument (404), nor for another organisation\'s wave', async () => {
    const tno = await createWave(t.app, admin, { label: 'Quickscan 2' });
    expect((await request(t.app).get(`/api/v1/waves/${tno.id}/session`).set(auth())).status).to.equal(404);
    expect((await request(t.app).get('/api/v1/waves/00000000-0000-4000-8000-000000000000/session').set(auth())).status).to.equal(404);
  });
});

function chartsOf(html: string): Array<{ labels: Array<string | string[]>; series: Array<{ values: number[] }> }> {
  return [...html.matchAll(/<script type="application\/json" class="chart-data"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}
