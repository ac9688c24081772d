// Issue 15 in the instrument's own views: the summary (GET /api/v1/waves/:id/summary and
// /waves/:id/summary) and the series report (GET /api/v1/series/:series and /series/:series)
// show number and ranking items (mean, median, quartiles; mean place and first-place share)
// and their test between groups or waves, taken from the results and compare APIs (one
// implementation), under the same disclosure rules. A TNO report table of a number or ranking
// question is not drawn (it would list single values). Data and R reference values as in
// compare-numbers.test.ts: jaren a = c(1,3,3,5,8,2.5), b = c(2,4,6,6,9,10).
import { expect } from 'chai';
import request from 'supertest';
import { Account, createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { bearer, submit } from '../helpers/csv';
import { INSTRUMENT } from '../helpers/all-types';
import { sealPending } from '../helpers/seal';

const KEY = 'typen-rapport';
const REPORTED = {
  ...INSTRUMENT, key: KEY,
  meta: {
    ...INSTRUMENT.meta,
    views: { tno: {
      tables: [
        { id: 't1', caption: 'Tevredenheid', question: 'tevreden' },
        { id: 't2', caption: 'Jaren', question: 'jaren' },
        { id: 't3', caption: 'Prioriteit', question: 'prioriteit' },
      ],
      comparisons: [{ title: 'Naar tevredenheid', by: 'tevreden' }],
    } },
  },
};
const order = (place: number) => [['veilig', 'wonen', 'werk'], ['wonen', 'veilig', 'werk'], ['wonen', 'werk', 'veilig']][place - 1];

interface Question { name: string; kind: string; n: number | null; suppressed: boolean; numbers?: unknown; options: unknown[] }
interface CompareItem { name: string; choice?: string; suppressed: boolean; numbers?: unknown; ranks?: unknown; rankTest?: { pAdjusted: number; text: string } }

describe('summary and series: numbers and rankings (issue 15)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let admin: Account;
  let first: { id: string; token: string };
  let second: { id: string; token: string };
  let small: { id: string; token: string };
  const send = (token: string, tevreden: number, jaren: number, veilig: number, extra: Record<string, unknown> = {}) =>
    submit(t.app, token, { tevreden, jaren, prioriteit: order(veilig), ...extra });
  const api = async (path: string, query: Record<string, string> = {}) => {
    const res = await request(t.app).get(path).query(query).set(bearer(admin));
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).to.equal(200);
    return res.body;
  };
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  const page = async (path: string) => {
    const res = await request(t.app).get(path).set(bearer(admin)).set('Accept', 'text/html');
    expect(res.status, res.text.slice(0, 400)).to.equal(200);
    return res.text;
  };

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    expect((await request(t.app).post('/api/v1/instruments').set(bearer(admin)).send(REPORTED)).status).to.equal(201);
    first = await createWave(t.app, admin, { instrument: KEY, label: '1 Voorjaar', series: 'typen', minGroupSize: 3 });
    second = await createWave(t.app, admin, { instrument: KEY, label: '2 Najaar', series: 'typen', minGroupSize: 3 });
    small = await createWave(t.app, admin, { instrument: KEY, label: '3 Winter', series: 'typen', minGroupSize: 3 });
    const a = [1, 3, 3, 5, 8, 2.5];
    const ra = [1, 1, 2, 3, 1, 2];
    const b = [2, 4, 6, 6, 9, 10];
    const rb = [3, 2, 3, 3, 2, 1];
    for (const [i, x] of a.entries()) await send(first.token, 1, x, ra[i]);
    for (const [i, x] of b.entries()) await send(first.token, 2, x, rb[i]);
    for (const x of [20, 21, 22, 23, 24, 25]) await send(second.token, 1, x, 3);
    for (const x of [1, 2]) await send(small.token, 1, x, 1);
    await sealPending(t.testDb.db);
  });
  after(async () => t.close());

  it('summary: the wave\'s numbers and rankings as the results API gives them', async () => {
    const summary = await api(`/api/v1/waves/${first.id}/summary`);
    const results = await api(`/api/v1/waves/${first.id}/results`);
    const valueQuestions = (results.questions as Question[]).filter((q) => q.kind === 'number' || q.kind === 'ranking');
    expect(valueQuestions.map((q) => q.name)).to.include.members(['jaren', 'prioriteit']);
    expect(summary.values).to.deep.equal(valueQuestions);
    const jaren = (summary.values as Question[]).find((q) => q.name === 'jaren')!;
    expect(jaren.numbers).to.include({ n: 12, median: 4.5 });
  });

  it('summary: a TNO table of a number or a ranking is not drawn (it would list single values)', async () => {
    const summary = await api(`/api/v1/waves/${first.id}/summary`);
    expect(summary.tno.tables.map((x: { id: string }) => x.id)).to.deep.equal(['t1']);
  });

  it('summary: a comparison tests numbers and rankings as the compare API does, and counts them', async () => {
    const summary = await api(`/api/v1/waves/${first.id}/summary`);
    const compared = await api(`/api/v1/waves/${first.id}/compare`, { by: 'tevreden' });
    const valueItems = (compared.items as CompareItem[]).filter((i) => i.numbers || i.ranks);
    expect(valueItems.length).to.equal(4); // jaren and the three choices of prioriteit
    expect(valueItems.every((i) => i.rankTest)).to.equal(true);
    const comparison = summary.tno.comparisons[0];
    expect(comparison.values.map((v: CompareItem) => [v.name, v.choice ?? null])).to.deep.equal(valueItems.map((i) => [i.name, i.choice ?? null]));
    for (const [i, v] of (comparison.values as CompareItem[]).entries()) {
      expect({ numbers: v.numbers, ranks: v.ranks, rankTest: v.rankTest }).to.deep.equal({ numbers: valueItems[i].numbers, ranks: valueItems[i].ranks, rankTest: valueItems[i].rankTest });
    }
    const tested = (compared.items as Array<CompareItem & { test: unknown }>).filter((i) => i.test !== null || i.rankTest);
    expect(comparison.tested).to.equal(tested.length);
    const significant = valueItems.filter((i) => i.rankTest!.pAdjusted < 0.05).map((i) => i.name);
    expect(comparison.significant.filter((s: { name: string }) => ['jaren', 'prioriteit'].includes(s.name)).map((s: { name: string }) => s.name)).to.deep.equal(significant);
  });

  it('summary: nothing of a selection below the minimum, and the page shows the numbers, the ranking and the tests', async () => {
    const filtered = await api(`/api/v1/waves/${small.id}/summary`);
    expect(filtered.tno).to.equal(null);
    expect(filtered.values ?? []).to.deep.equal([]);
    const html = await page(`/waves/${first.id}/summary`);
    expect(html).to.contain('data-testid="summary-values"').and.contain('data-testid="number-summary"').and.contain('data-testid="ranking-table"');
    const compared = await api(`/api/v1/waves/${first.id}/compare`, { by: 'tevreden' });
    const jaren = (compared.items as CompareItem[]).find((i) => i.name === 'jaren')!;
    expect(html).to.contain('data-testid="comparison-values"').and.contain(escaped(jaren.rankTest!.text));
  });

  it('series: per wave the numbers and rankings (a wave below the minimum shows none), and the test between the waves', async () => {
    const series = await api('/api/v1/series/typen');
    interface WaveValue { wave: string; n: number | null; suppressed: boolean; numbers?: unknown; ranks?: unknown }
    const jaren = (series.valueItems as Array<{ name: string; choice?: string; waves: WaveValue[] }>).find((i) => i.name === 'jaren')!;
    expect(jaren.waves.map((w) => w.wave)).to.deep.equal([first.id, second.id, small.id]);
    for (const [w, wave] of [first, second].entries()) {
      const results = await api(`/api/v1/waves/${wave.id}/results`);
      const numbers = (results.questions as Question[]).find((q) => q.name === 'jaren')!.numbers as { n: number; q1: number; q3: number };
      expect(jaren.waves[w]).to.deep.equal({ wave: wave.id, n: numbers.n, suppressed: false, numbers: { ...numbers, iqr: numbers.q3 - numbers.q1 } });
    }
    expect(jaren.waves[2]).to.deep.equal({ wave: small.id, n: null, suppressed: true });
    const veilig = (series.valueItems as Array<{ name: string; choice?: string; waves: WaveValue[] }>).find((i) => i.name === 'prioriteit' && i.choice === 'veilig')!;
    expect(veilig.waves[1]).to.deep.equal({ wave: second.id, n: 6, suppressed: false, ranks: { n: 6, meanRank: 3, firstPlaces: 0, firstPlacePercent: 0 } });
    // The test between the waves is the compare API's (the small wave left out).
    const compared = await api('/api/v1/compare', { waves: [first.id, second.id, small.id].join(',') });
    const tested = (compared.items as CompareItem[]).find((i) => i.name === 'jaren')!;
    expect((series.comparison.items as CompareItem[]).find((i) => i.name === 'jaren')!.rankTest).to.deep.equal(tested.rankTest);
    const html = await page('/series/typen');
    expect(html).to.contain('data-testid="series-values"').and.contain(escaped(tested.rankTest!.text));
  });
});
