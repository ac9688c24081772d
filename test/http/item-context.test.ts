// Item context everywhere (issue 13): Weerman asks "Wat is er?" / "Wat is wenselijk?" 32
// times and Valente "Status van deze actie" 18 times; every place that names a question
// must also name the item it belongs to (the panel it sits in), worked out in one place
// (itemContext in server/results/instrument-model.ts). On the demo organisation's data.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, Account } from '../helpers/app';
import { createDemo } from '../../server/demo/demo';
import { createStore } from '../../server/store';
import { rowsOf } from '../helpers/csv';

const W01 = '1. Is ervaringskennis als ‘derde bron van kennis’ erkend?';
const W12_PREFIX = '12. ';

describe('item context: the item a sub-question belongs to, in every place', function () {
  this.timeout(120000);
  let t: TestApp;
  let admin: Account;
  let waves: Array<{ id: string; label: string; instrument: string; series: string; organisationId: string }>;
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });
  const wave = (instrument: string, first: boolean) => waves.find((w) => w.instrument === instrument && w.label.startsWith(first ? '0' : '1'))!;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    await createDemo(createStore(t.testDb.db), t.app.locals.instruments);
    waves = (await request(t.app).get('/api/v1/waves').set(auth())).body;
  });
  after(async () => t.close());

  it('gives every compare item its context: the Weerman question for w01_is, null for a question on its own', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${wave('weerman-organisatiescan', false).id}/compare?by=rol`).set(auth());
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const items = res.body.items as Array<{ name: string; title: string; context: string | null }>;
    expect(items.find((i) => i.name === 'w01_is')).to.include({ title: 'Wat is er?', context: W01 });
    expect(items.find((i) => i.name === 'w01_wens')).to.include({ title: 'Wat is wenselijk?', context: W01 });
    expect(items.find((i) => i.name === 'bron_clienten_is')!.context).to.equal('Cliënten en hun systeem');
    for (const item of items) expect(item, item.name).to.have.property('context');
    // Every "Wat is er?" now says which item it answers, and no two say the same.
    const current = items.filter((i) => i.title === 'Wat is er?');
    expect(current).to.have.length(16);
    expect(new Set(current.map((i) => i.context)).size).to.equal(16);
  });

  it('gives a TNO matrix row its statement\'s matrix and a question on its own null', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${wave('tno-quickscan', false).id}/compare?by=b_role`).set(auth());
    expect(res.status).to.equal(200);
    const items = res.body.items as Array<{ name: string; row?: string; choice?: string; title: string; questionTitle: string; context: string | null }>;
    const row = items.find((i) => i.row !== undefined)!;
    expect(row.context).to.equal(row.questionTitle);
    const single = items.find((i) => i.row === undefined && i.choice === undefined)!;
    expect(single.context).to.equal(null);
  });

  it('names the Valente action of every "Status van deze actie" in results, series and the comparison between waves', async () => {
    const v = wave('valente-zes-stappen', false);
    const results = await request(t.app).get(`/api/v1/waves/${v.id}/results`).set(auth());
    const statuses = (results.body.questions as Array<{ title: string; context: string | null }>).filter((q) => q.title === 'Status van deze actie');
    expect(statuses).to.have.length(18);
    expect(statuses.map((q) => q.context)).to.include('Actie 2.1');
    expect(new Set(statuses.map((q) => q.context)).size).to.equal(18);
    const series = await request(t.app).get(`/api/v1/series/${encodeURIComponent(v.series)}?organisationId=${v.organisationId}`).set(auth());
    expect(series.status).to.equal(200);
    const seriesStatuses = (series.body.items as Array<{ title: string; context: string | null }>).filter((i) => i.title === 'Status van deze actie');
    expect(seriesStatuses).to.have.length(18);
    expect(new Set(seriesStatuses.map((q) => q.context)).size).to.equal(18);
    expect((series.body.comparison.items as Array<{ name: string; context: string | null }>).find((i) => i.name === 's2a1_status')!.context).to.equal('Actie 2.1');
  });

  it('shows the item on the compare, results and series pages and in the filter choosers', async () => {
    const w = wave('weerman-organisatiescan', false);
    const compare = await request(t.app).get(`/waves/${w.id}/compare?by=rol`).set(auth());
    expect(compare.status).to.equal(200);
    // Tested or listed as not tested: each of the 32 sub-questions with its item.
    expect(compare.text).to.match(new RegExp(`<span class="item-context">${escapeRegExp(escapeHtml(W01))}( — )?</span>Wat is er\\?`));
    expect(compare.text.split('class="item-context"').length - 1).to.be.at.least(32);
    // The chooser of "Vergelijk op" and of the filters: one option group per item, named by it.
    expect(compare.text).to.contain(`<option value="w01_is" >${escapeHtml(W01)} — Wat is er?</option>`);
    expect(compare.text).to.contain(`<optgroup label="${escapeHtml(W01)} — Wat is wenselijk?">`);
    const results = await request(t.app).get(`/waves/${w.id}/results`).set(auth());
    expect(results.text).to.contain(`<optgroup label="${escapeHtml(W01)} — Wat is er?">`);
    const headings = [...results.text.matchAll(/<h2 id="q-w\d\d_is">([\s\S]*?)<\/h2>/g)].map((m) => m[1]);
    expect(headings).to.have.length(12);
    for (const h of headings) expect(h).to.contain('class="item-context"');
    expect(headings[11]).to.contain(escapeHtml(W12_PREFIX));
    const series = await request(t.app).get(`/series/${encodeURIComponent(w.series)}?organisationId=${w.organisationId}`).set(auth());
    expect(series.text).to.contain(`<span class="item-context">${escapeHtml(W01)}</span>Wat is er?`);
  });

  it('names the item in the codebook and in the results and compare CSVs', async () => {
    const w = wave('weerman-organisatiescan', false);
    const codebook = rowsOf((await request(t.app).get(`/api/v1/waves/${w.id}/codebook.csv`).set(auth())).text);
    expect(codebook.find((r) => r.variable === 'w01_is')!.question).to.equal(`${W01} — Wat is er?`);
    expect(codebook.find((r) => r.variable === 'rol')!.question).to.equal('Vanuit welke rol vul je deze scan in?');
    expect(new Set(codebook.filter((r) => /^w\d\d_is$/.test(r.variable!)).map((r) => r.question)).size).to.equal(12);

    const results = rowsOf((await request(t.app).get(`/api/v1/waves/${w.id}/results.csv`).set(auth())).text);
    expect(results[0], 'results.csv has a context column').to.have.property('context');
    expect(results.find((r) => r.variable === 'w01_is')!.context).to.equal(W01);
    expect(results.find((r) => r.variable === 'rol')!.context).to.equal('');

    const compare = rowsOf((await request(t.app).get(`/api/v1/waves/${w.id}/compare.csv?by=rol`).set(auth())).text);
    expect(compare.find((r) => r.variable === 'w01_wens')!.context).to.equal(W01);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}
