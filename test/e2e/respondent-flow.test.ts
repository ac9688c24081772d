import { expect } from 'chai';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { setupAdmin, createWave, Account } from '../helpers/app';

/** Clicks through the survey, answering the named questions, until it is sent. */
async function fillSurvey(page: Page, answers: Record<string, string>): Promise<void> {
  for (let step = 0; step < 30; step++) {
    for (const [name, label] of Object.entries(answers)) {
      const question = page.locator(`[data-name="${name}"]`);
      if (await question.isVisible()) await question.getByText(label, { exact: true }).click();
    }
    const next = page.getByRole('button', { name: 'Volgende' });
    if (await next.isVisible()) { await next.click(); continue; }
    await page.getByRole('button', { name: 'Verzenden' }).click();
    return;
  }
  throw new Error('the survey did not end');
}

describe('a respondent in a real browser', function () {
  this.timeout(120000);
  let live: LiveApp;
  let browser: Browser;
  let admin: Account;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    admin = await setupAdmin(live.app);
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('fills the TNO quickscan on a phone as a student without own experience, and the response is stored', async () => {
    const wave = await createWave(live.app, admin);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const foreignRequests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(live.baseUrl) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    expect(await page.title()).to.equal('Vragenlijst');
    await fillSurvey(page, { b_role: 'Student', c_ervaring: 'Nee' });
    await page.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();

    const stored = await request(live.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(stored.body.responses).to.equal(1);
    const rows = await live.testDb.db('answers').where({ wave_id: wave.id, question: 'b_role' }).select('value');
    expect(rows).to.deep.equal([{ value: 'student' }]);
    expect(foreignRequests).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
    expect(await context.cookies()).to.deep.equal([]);
    await context.close();
  });
});
