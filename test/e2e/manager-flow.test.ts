// A manager's whole path in a real browser: first run, a wave of the Weerman scan with
// invitations for three MT members who fill it in, the results, the comparison with last
// year's wave, and a printed report (PDF) with the title block and the charts.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { fillSurvey } from './survey-pages';
import { PASSWORD, setupCodeOf } from '../helpers/app';

const ORGANISATION = 'Vrouwenopvang De Haven';
const EMAIL = 'manager@dehaven.test';

describe('a manager from the first-run page to a printed dashboard', function () {
  this.timeout(240000);
  let live: LiveApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  /** Last year's 0-meting, filled through its own invitations over the API. */
  async function lastYearsWave(token: string): Promise<void> {
    const auth = { Authorization: `Bearer ${token}` };
    const wave = (await request(live.app).post('/api/v1/waves').set(auth)
      .send({ instrument: 'weerman-organisatiescan', label: '0-meting 2025', mode: 'identified', series: 'mt-scan', minGroupSize: 3 })).body;
    const invitations = (await request(live.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth).send({ count: 3 })).body;
    for (const [i, invitation] of invitations.entries()) {
      const res = await request(live.app).post(`/s/${invitation.token}/responses`)
        .send({ submissionId: crypto.randomUUID(), data: { w01_is: i % 2, w01_wens: 3, w02_is: 0, w02_wens: 2, bron_clienten_is: 1, bron_clienten_wens: 3 } });
      expect(res.status).to.equal(201);
    }
    await request(live.app).patch(`/api/v1/waves/${wave.id}`).set(auth).send({ status: 'closed' });
  }

  it('goes from setup to a PDF report', async () => {
    // First run: the setup page creates the organisation and the first account.
    await page.goto(live.baseUrl);
    await page.waitForURL('**/setup');
    // The one-time code, as the operator reads it from the server's output or DATA_DIR/setup-code.
    await page.getByLabel('Installatiecode').fill(setupCodeOf(live.app));
    await page.fill('#organisation', ORGANISATION);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inrichten' }).click();
    await page.waitForURL('**/waves');

    // Logging out and in again through the form, as a person would.
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL('**/login');
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/waves');

    const login = await request(live.app).post('/api/v1/auth/login').send({ email: EMAIL, password: PASSWORD });
    await lastYearsWave(login.body.token);

    // This year's wave, made through the form.
    await page.goto(`${live.baseUrl}/waves/new`);
    await page.fill('#label', '1-meting 2026');
    await page.selectOption('#instrument', 'weerman-organisatiescan');
    await page.getByLabel('Met uitnodigingen (persoonlijke links)').check();
    await page.fill('#series', 'mt-scan');
    await page.fill('#minGroupSize', '3');
    await page.getByRole('button', { name: 'Meting aanmaken' }).click();
    await page.waitForURL(/\/waves\/[0-9a-f-]{36}$/);
    const waveUrl = page.url();

    // Three invitations, printed as slips.
    await page.fill('#count', '3');
    await page.getByRole('button', { name: 'Uitnodigingen maken' }).click();
    await page.waitForURL('**/invitations');
    const links = await page.locator('.slip .print-url').allTextContents();
    expect(links).to.have.length(3);
    expect(await page.locator('.slip svg[role="img"]').count()).to.equal(3);

    // Each MT member fills the scan through their own link.
    const answers: Array<Record<string, string>> = [
      { w01_is: 'Nee / niet aanwezig', w01_wens: 'Grotendeels', w02_is: 'Eerste aanzet', w02_wens: 'Gedeeltelijk', bron_clienten_is: 'Gedeeltelijk', bron_clienten_wens: 'Grotendeels' },
      { w01_is: 'Eerste aanzet', w01_wens: 'Ja, volledig en structureel geborgd', w02_is: 'Eerste aanzet', w02_wens: 'Grotendeels', bron_clienten_is: 'Eerste aanzet', bron_clienten_wens: 'Grotendeels' },
      { w01_is: 'Eerste aanzet', w01_wens: 'Grotendeels', w02_is: 'Weet ik niet', bron_clienten_is: 'Gedeeltelijk', bron_clienten_wens: 'Gedeeltelijk' },
    ];
    for (const [i, link] of links.entries()) {
      const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
      const member = await context.newPage();
      await member.goto(link.trim());
      await fillSurvey(member, answers[i], async (p) => {
        const box = p.locator('[data-name="w01_vragen"] textarea');
        if (await box.isVisible() && (await box.inputValue()) === '') await box.fill(`Wie neemt dit op zich? (${i + 1})`);
      });
      await member.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();
      await member.goto(link.trim());
      expect(await member.locator('h1').first().textContent()).to.equal('Deze uitnodiging is al gebruikt.');
      await context.close();
    }

    // The results: the Weerman view with its title block and charts.
    await page.goto(waveUrl);
    expect(await page.getByTestId('response-count').textContent()).to.equal('3');
    await page.getByRole('link', { name: 'Resultaten bekijken' }).click();
    await page.waitForURL('**/summary');
    const titleBlock = await page.locator('.title-block').textContent();
    expect(titleBlock).to.contain(ORGANISATION).and.contain('1-meting 2026').and.contain('Organisatiescan').and.contain('3');
    expect(await page.locator('canvas').count()).to.be.at.least(2);
    expect(await page.locator('ul.texts li').allTextContents()).to.include.members(['Wie neemt dit op zich? (1)']);

    // The comparison with last year's wave.
    await page.getByRole('link', { name: 'Door de jaren heen' }).click();
    await page.waitForURL('**/series/mt-scan**');
    const series = await page.locator('main').textContent();
    expect(series).to.contain('0-meting 2025').and.contain('1-meting 2026').and.contain('Verschil tussen de metingen');

    // Print the Weerman view to PDF, as the print button would.
    await page.goto(`${waveUrl}/summary`);
    await page.locator('canvas').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.tabs').isVisible()).to.equal(false);
    // The print layout resizes the charts (ResizeObserver, then a redraw in a later frame);
    // on a busy machine page.pdf could catch a canvas between the two, cleared and empty.
    await untilDrawn(page, 2);
    const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-pdf-')), 'rapport.pdf');
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    // Both charts are in the PDF. Chromium prints a canvas either as an image or, when it
    // kept the canvas's drawing commands, as vector paths with real text (seen to vary
    // between otherwise identical runs): count the images (not their transparency masks)
    // and the charts drawn as vectors, known by their axis: a line of nothing but three or
    // more tick values (0 0,5 1,0 for a share; -1 0 1 2 for the Weerman gaps since the gap
    // chart became horizontal bars, whose axis the old pattern missed).
    const images = execFileSync('pdfimages', ['-list', pdfFile], { encoding: 'utf8' }).split('\n').filter((line) => /^\s*\d+\s+\d+\s+image\s/.test(line)).length;
    const vectorCharts = text.split('\n').filter((line) => /^\s*-?\d+(,\d+)?(\s+-?\d+(,\d+)?){2,}\s*$/.test(line)).length;
    expect(images + vectorCharts, `${images} chart images, ${vectorCharts} vector charts`).to.be.at.least(2);
    expect(text).to.contain(ORGANISATION).and.contain('Minimale groepsgrootte').and.contain('1-meting 2026');
    expect(text).not.to.contain('Uitloggen');
  });
});

/** Waits until at least `count` canvases on the page have something drawn on them. */
async function untilDrawn(page: Page, count: number): Promise<void> {
  const drawn = `Array.from(document.querySelectorAll('canvas')).filter((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  }).length`;
  for (let tries = 0; ; tries++) {
    if ((await page.evaluate(drawn)) as number >= count) return;
    if (tries > 100) throw new Error(`fewer than ${count} charts drawn after 10 s`);
    await page.waitForTimeout(100);
  }
}
