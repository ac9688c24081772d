// Issue 13, the Weerman part, in a real Chromium: a 4-person MT fills the scan alone through
// the anonymous link (the instrument's minimum of 3), the session view shows the spread,
// the gaps, the disagreements and the agenda, and the dashboard and the session view print
// to PDF with every item's number and title, the running title and page numbers. The series
// report prints compactly (multi-select choices share one table). The team then records
// its agreed scores in a team wave of the same series, reached from the session view.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { fillSurvey } from './survey-pages';
import { PASSWORD, setupAdmin, Account } from '../helpers/app';
import { sealPending } from '../helpers/seal';
import { createDemo } from '../../server/demo/demo';
import { createStore } from '../../server/store';

const ITEMS: Array<{ number: number; title: string }> = [];

describe('a management team through a Weerman session', function () {
  this.timeout(300000);
  let live: LiveApp;
  let browser: Browser;
  let page: Page;
  let admin: Account;
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    admin = await setupAdmin(live.app);
    page = await browser.newPage();
    await page.goto(`${live.baseUrl}/login`);
    await page.fill('#email', admin.user.email);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/waves');
    const weerman = (await live.app.locals.instruments.latest('weerman-organisatiescan'))!;
    const view = (weerman.meta.views as { weerman: { items: Array<{ number: number; title: string }> } }).weerman;
    ITEMS.push(...view.items.map((i) => ({ number: i.number, title: i.title })));
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('scores alone, discusses the session view, and prints it with every item', async () => {
    const created = await request(live.app).post('/api/v1/waves').set(auth())
      .send({ instrument: 'weerman-organisatiescan', label: 'MT-sessie 2026', mode: 'anonymous', series: 'mt-2026' });
    expect(created.status).to.equal(201);
    expect(created.body.minGroupSize).to.equal(3);
    const wave = created.body as { id: string; token: string };
    const link = `${live.baseUrl}/s/${wave.token}`;

    // Four MT members, each on their own phone, through the one anonymous link.
    const members: Array<Record<string, string>> = [
      { w01_is: 'Nee / niet aanwezig', w01_wens: 'Grotendeels', w02_is: 'Eerste aanzet', w02_wens: 'Gedeeltelijk', w03_is: 'Nee / niet aanwezig' },
      { w01_is: 'Eerste aanzet', w01_wens: 'Grotendeels', w02_is: 'Eerste aanzet', w02_wens: 'Grotendeels', w03_is: 'Ja, volledig en structureel geborgd' },
      { w01_is: 'Eerste aanzet', w01_wens: 'Gedeeltelijk', w02_is: 'Grotendeels', w02_wens: 'Gedeeltelijk', w03_is: 'Gedeeltelijk' },
      { w01_is: 'Gedeeltelijk', w01_wens: 'Ja, volledig en structureel geborgd', w02_is: 'Weet ik niet', w03_is: 'Eerste aanzet' },
    ];
    const questions = ['Wie is eigenaar van dit onderwerp?', 'wie is eigenaar van dit onderwerp', 'Hoe betrekken we de cliëntenraad?', ''];
    for (const [i, answers] of members.entries()) {
      const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
      const member = await context.newPage();
      await member.goto(link);
      await fillSurvey(member, answers, async (p) => {
        const box = p.locator('[data-name="w01_vragen"] textarea');
        if (questions[i] && await box.isVisible() && (await box.inputValue()) === '') await box.fill(questions[i]!);
      });
      await member.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();
      await context.close();
    }
    await sealPending(live.testDb.db);

    // The dashboard leads to the session view.
    await page.goto(`${live.baseUrl}/waves/${wave.id}/summary`);
    await page.getByTestId('session-link').click();
    await page.waitForURL(`**/waves/${wave.id}/session`);
    expect(await page.locator('.site-header').count()).to.equal(0);
    expect(await page.locator('.session-item').count()).to.equal(16);
    expect(await page.getByTestId('disagreement-rule').textContent()).to.contain('3 of meer punten');
    expect(await page.getByTestId('disagreements').textContent()).to.contain('3. ');
    expect(await page.getByTestId('negative-gaps').textContent()).to.contain('2. ');
    const agenda = await page.getByTestId('agenda').locator('.agenda-text').allTextContents();
    expect(agenda).to.have.length(2);
    expect(agenda).to.include('Hoe betrekken we de cliëntenraad?');
    expect((await page.getByTestId('largest-gaps').textContent())!).to.contain('1. ');
    expect(await page.getByTestId('attribution').textContent()).to.contain('Alie Weerman');

    // The same data as JSON.
    const json = (await request(live.app).get(`/api/v1/waves/${wave.id}/session`).set(auth())).body;
    expect(json.n).to.equal(4);
    expect(json.session.agenda).to.have.length(2);
    expect(json.session.disagreements.map((d: { number: number }) => d.number)).to.include(3);

    // The session view and the dashboard on A4: every item's number and title in the text,
    // the running title and a page number on every page.
    for (const url of [`/waves/${wave.id}/session`, `/waves/${wave.id}/summary`]) {
      const { text, pages } = await printToPdf(page, `${live.baseUrl}${url}`);
      const flat = text.replace(/\s+/g, ' ');
      // The session lists every item; the dashboard ranks the items the members answered.
      const ranked = new Set((json.session.ranking as Array<{ number: number }>).map((r) => r.number));
      expect(ranked.size).to.equal(2); // 3 has no desired scores: no gap
      for (const item of ITEMS.filter((i) => url.endsWith('/session') || ranked.has(i.number))) expect(flat, `${url}: item ${item.number}`).to.contain(`${item.number}. ${item.title}`.replace(/\s+/g, ' '));
      expect(pages.length).to.be.at.least(2);
      pages.forEach((p, i) => {
        expect(p, `${url} page ${i + 1}: running title`).to.contain('Opvang Noord · MT-sessie 2026');
        expect(p.replace(/\s+/g, ''), `${url} page ${i + 1}: page number`).to.contain(`${i + 1}/${pages.length}`);
      });
      expect(flat).to.contain('Alie Weerman');
    }

    // The agreed team record: a team wave in the same series, from the session's button.
    const href = await page.goto(`${live.baseUrl}/waves/${wave.id}/session`).then(() => page.getByTestId('agreements').getAttribute('href'));
    expect(href).to.contain('mode=team').and.contain('series=mt-2026');
    const team = await request(live.app).post('/api/v1/waves').set(auth())
      .send({ instrument: 'weerman-organisatiescan', label: 'Afspraken MT-sessie 2026', mode: 'team', series: 'mt-2026' });
    expect(team.status, JSON.stringify(team.body)).to.equal(201);
    await page.goto(`${live.baseUrl}/waves/${wave.id}/session`);
    expect(await page.getByTestId('agreements').getAttribute('href')).to.equal(`/waves/${team.body.id}`);
    // The team records what it agreed on item 1 in the shared record, which says it is not anonymous.
    await page.emulateMedia({ media: 'screen' }); // printToPdf left it on print
    await page.goto(`${live.baseUrl}/waves/${team.body.id}/record`);
    expect(await page.locator('body').textContent()).to.contain('niet anoniem');
    const item = (name: string) => page.locator(`[data-name="${name}"]`);
    await item('w01_is').getByText('Gedeeltelijk', { exact: true }).click();
    await item('w01_wens').getByText('Ja, volledig en structureel geborgd', { exact: true }).click();
    await item('w01_vragen').locator('textarea').fill('Afspraak: ervaringskennis in elk teamoverleg agenderen.');
    await page.getByTestId('record-save').click();
    await page.getByTestId('record-message').filter({ hasText: 'Opgeslagen als versie 1.' }).waitFor({ timeout: 15000 });
    const record = (await request(live.app).get(`/api/v1/waves/${team.body.id}/record`).set(auth())).body as { revision: number; data: Record<string, unknown> };
    expect(record.revision).to.equal(1);
    expect(record.data).to.include({ w01_is: 2, w01_wens: 4 });
  });

  it('prints the series report compactly: the choices of a tick-box question in one table', async () => {
    await createDemo(createStore(live.testDb.db), live.app.locals.instruments);
    const waves = (await request(live.app).get('/api/v1/waves').set(auth())).body as Array<{ instrument: string; series: string; organisationId: string }>;
    const tno = waves.find((w) => w.instrument === 'tno-quickscan')!;
    const { pages, text } = await printToPdf(page, `${live.baseUrl}/series/${encodeURIComponent(tno.series)}?organisationId=${tno.organisationId}`);
    console.log(`      series report: ${pages.length} pages`);
    expect(pages.length).to.be.at.most(20); // 26 before issue 13
    expect(text).to.contain('Percentage dat de keuze aankruiste');
    pages.forEach((p, i) => {
      expect(p.replace(/\s+/g, ''), `series page ${i + 1}`).to.contain(`${i + 1}/${pages.length}`);
      expect(p, `series page ${i + 1}`).to.contain(`Reeks: ${tno.series}`);
    });
    // One colour per answer across a report: an answer text has the same colour in every chart.
    const tnoWave = ((await request(live.app).get('/api/v1/waves').set(auth())).body as Array<{ id: string; instrument: string; label: string }>)
      .find((w) => w.instrument === 'tno-quickscan' && w.label.startsWith('1'))!;
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${live.baseUrl}/waves/${tnoWave.id}/results`);
    await page.locator('canvas').first().waitFor();
    const colours = await page.evaluate(`(() => {
      const seen = {};
      Object.values(Chart.instances).forEach((chart) => chart.data.datasets.forEach((d) => {
        if (typeof d.backgroundColor !== 'string') return;
        (seen[d.label] = seen[d.label] || new Set()).add(d.backgroundColor);
      }));
      return Object.entries(seen).map(([label, set]) => [label, set.size]);
    })()`) as Array<[string, number]>;
    expect(colours.length).to.be.at.least(3);
    for (const [label, count] of colours) expect(count, `colours of "${label}"`).to.equal(1);

    // The Valente and TNO dashboards print the same way: the attribution, the running title and
    // the page number on every page, and every Valente step in the text.
    const all = (await request(live.app).get('/api/v1/waves').set(auth())).body as Array<{ id: string; instrument: string; label: string }>;
    for (const instrument of ['valente-zes-stappen', 'tno-quickscan']) {
      const demo = all.find((w) => w.instrument === instrument && w.label.startsWith('1'))!;
      const printed = await printToPdf(page, `${live.baseUrl}/waves/${demo.id}/summary`);
      const flat = printed.text.replace(/\s+/g, ' ');
      const meta = (await live.app.locals.instruments.latest(instrument))!.meta as { attribution: string; views: { valente?: { steps: Array<{ number: number; title: string }> } } };
      expect(flat, instrument).to.contain(meta.attribution.slice(0, 40));
      for (const step of meta.views.valente?.steps ?? []) expect(flat, `step ${step.number}`).to.contain(`${step.number}. ${step.title}`);
      printed.pages.forEach((p, i) => {
        expect(p, `${instrument} page ${i + 1}`).to.contain(`Demo-opvang · ${demo.label}`);
        expect(p.replace(/\s+/g, ''), `${instrument} page ${i + 1}`).to.contain(`${i + 1}/${printed.pages.length}`);
      });
    }
  });
});

/** Prints a page to an A4 PDF as the print button would; its text in full and per page. */
async function printToPdf(page: Page, url: string): Promise<{ text: string; pages: string[] }> {
  await page.emulateMedia({ media: 'screen' });
  await page.goto(url);
  await page.emulateMedia({ media: 'print' });
  await page.waitForTimeout(300);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-pdf-')), 'print.pdf');
  // As the browser's own print dialog does: the page's CSS margins (where the running title and page numbers are).
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  if (process.env.KEEP_PDF_TEXT) fs.writeFileSync(`/tmp/h13-${url.split('/').slice(-1)[0]!.slice(0, 20)}.txt`, text);
  return { text, pages: text.split('\f').filter((p) => p.trim() !== '') };
}
