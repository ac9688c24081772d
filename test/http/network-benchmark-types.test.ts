// Every closed question type the results count is a benchmark item: a single choice in any of
// its forms (dropdown, boolean, rating, imagepicker), and each choice of a checkbox, tagbox or
// multiple-choice imagepicker as ticked / not ticked. A ranking is listed as not benchmarked,
// with the reason; an open question is no item at all.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, TestApp, Account } from '../helpers/app';
import { buildNetwork, optIn, NetworkFixture } from '../helpers/network';

const IMAGE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const INSTRUMENT = {
  title: 'Alle gesloten vraagsoorten',
  pages: [{
    name: 'p1',
    elements: [
      { type: 'dropdown', name: 'kleur', title: 'Kleur', choices: ['rood', 'groen', 'blauw'] },
      { type: 'boolean', name: 'akkoord', title: 'Akkoord' },
      { type: 'rating', name: 'cijfer', title: 'Cijfer', rateMin: 1, rateMax: 5 },
      { type: 'imagepicker', name: 'plaatje', title: 'Plaatje', choices: [{ value: 'a', imageLink: IMAGE }, { value: 'b', imageLink: IMAGE }] },
      { type: 'checkbox', name: 'hulp', title: 'Hulp', choices: ['praten', 'wonen', 'geld'] },
      { type: 'tagbox', name: 'labels', title: 'Labels', choices: ['x', 'y'] },
      { type: 'imagepicker', name: 'fotos', title: 'Foto\'s', multiSelect: true, choices: [{ value: 'p', imageLink: IMAGE }, { value: 'q', imageLink: IMAGE }] },
      { type: 'ranking', name: 'volgorde', title: 'Volgorde', choices: ['een', 'twee', 'drie'] },
      { type: 'comment', name: 'opmerking', title: 'Opmerking' },
    ],
  }],
};

interface Item { name: string; row: string | null; choice?: unknown; shown: boolean; organisations?: number; n?: number; options?: Array<{ value: unknown; count: number }> }

describe('network benchmark: every closed question type', function () {
  this.timeout(180000);
  let t: TestApp;
  let admin: Account;
  let net: NetworkFixture;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const published = await request(t.app).post('/api/v1/instruments?key=gesloten-soorten').set('Authorization', `Bearer ${admin.token}`).send(INSTRUMENT);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    net = await buildNetwork(t.app, admin, {
      name: 'Netwerk soorten', organisations: 6, instrument: 'gesloten-soorten', prefix: 'soorten',
      answers: (i, r) => ({
        kleur: ['rood', 'groen', 'blauw'][(i + r) % 3], akkoord: (i + r) % 2 === 0, cijfer: 1 + ((i + r) % 5), plaatje: r === 0 ? 'a' : 'b',
        hulp: i < 3 ? ['praten'] : ['praten', 'geld'], labels: r === 0 ? ['x', 'y'] : ['x'], fotos: ['p'],
        volgorde: ['een', 'twee', 'drie'], opmerking: 'tekst',
      }),
    });
    for (const m of net.members) await optIn(t.app, m, net.networkId);
  });
  after(() => t.close());

  it('adds up dropdown, boolean, rating and imagepicker, and each choice of a checkbox, tagbox and multiple imagepicker', async () => {
    const res = await request(t.app).get(`/api/v1/networks/${net.networkId}/benchmark?instrument=gesloten-soorten`).set('Authorization', `Bearer ${net.networkAccount.token}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const items = res.body.items as Item[];
    const key = (i: Item) => (i.choice !== undefined ? `${i.name}:${String(i.choice)}` : i.name);
    expect(items.map(key)).to.deep.equal(['kleur', 'akkoord', 'cijfer', 'plaatje', 'hulp:praten', 'hulp:wonen', 'hulp:geld', 'labels:x', 'labels:y', 'fotos:p', 'fotos:q']);
    const counts = (name: string) => {
      const item = items.find((i) => key(i) === name)!;
      expect(item, name).to.deep.include({ shown: true, organisations: 6, n: 18 });
      return item.options!.map((o) => o.count);
    };
    // (i + r) % 3 over i = 0..5, r = 0..2: each colour 6 times.
    expect(counts('kleur')).to.deep.equal([6, 6, 6]);
    // (i + r) even: 9 of the 18.
    expect(counts('akkoord')).to.deep.equal([9, 9]);
    // 1 + (i + r) % 5, i + r = 0..7: values 1..5 counted 4, 4, 4, 3, 3.
    expect(counts('cijfer')).to.deep.equal([4, 4, 4, 3, 3]);
    expect(counts('plaatje')).to.deep.equal([6, 12]);
    // Ticked / not ticked, of those who ticked anything.
    expect(counts('hulp:praten')).to.deep.equal([18, 0]);
    expect(counts('hulp:wonen')).to.deep.equal([0, 18]);
    expect(counts('hulp:geld')).to.deep.equal([9, 9]);
    expect(counts('labels:y')).to.deep.equal([6, 12]);
    expect(counts('fotos:p')).to.deep.equal([18, 0]);
    expect(items.find((i) => key(i) === 'hulp:geld')!.options!.map((o) => o.value)).to.deep.equal([1, 0]);
    // The ranking is said not to be in the benchmark, with why; the open question is no item.
    expect(res.body.notBenchmarked).to.have.length(1);
    expect(res.body.notBenchmarked[0]).to.include({ name: 'volgorde', title: 'Volgorde' });
    expect(res.body.notBenchmarked[0].reason).to.contain('rangschikking');
  });

  it('tests an organisation\'s ticks of one choice against the rest of the network, and places it in a quartile', async () => {
    const last = net.members[5];
    const res = await request(t.app).get(`/api/v1/waves/${last.waveId}/benchmark`).set('Authorization', `Bearer ${last.manager.token}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const geld = res.body.items.find((i: Item) => i.name === 'hulp' && i.choice === 'geld');
    expect(geld.own.options.map((o: { count: number }) => o.count)).to.deep.equal([3, 0]);
    expect(geld.network).to.deep.include({ organisations: 5, n: 15 });
    expect(geld.network.options.map((o: { count: number }) => o.count)).to.deep.equal([6, 9]);
    // python3 -c "import scipy.stats as s; print(s.chi2_contingency([[3,0],[6,9]], correction=False)[:2], s.fisher_exact([[3,0],[6,9]]))"
    // -> 3.6, p 0.0578 (asymptotic); Fisher's p 0.20588235294117646, used because expected counts are low.
    expect(geld.test.statistic).to.be.closeTo(3.6, 1e-9);
    expect(geld.test.method).to.equal('fisher-exact');
    expect(geld.test.p).to.be.closeTo(0.20588235294117646, 1e-9);
    // Shares ticked per organisation: 0, 0, 0, 1, 1, 1; own 1: mid-rank (3 + 1.5) / 6 -> the top quarter.
    expect(geld.quartile).to.equal(4);
    // A boolean has no numeric scale: no quartile; a rating has one.
    expect(res.body.items.find((i: Item) => i.name === 'akkoord').quartile).to.equal(null);
    expect(res.body.items.find((i: Item) => i.name === 'cijfer').quartile).to.be.oneOf([1, 2, 3, 4]);
  });
});
