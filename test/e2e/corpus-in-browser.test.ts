// Every definition of the corpus that loads can be filled in in Chromium: published through
// the API, opened from its public link, its required questions answered as a respondent
// would (the first choice, a short text, a number), and sent; the response is stored.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Locator, Page } from 'playwright-core';
import { liveRespondentSuite, PHONE } from './browser';
import { createWave } from '../helpers/app';
import { CORPUS_DIR, loadingCorpusFiles } from '../helpers/corpus';

const NEXT = /^(Volgende|Next)$/;
const COMPLETE = /^(Verzenden|Complete)$/;

describe('the corpus of SurveyJS definitions in a real browser', function () {
  this.timeout(120_000);
  const suite = liveRespondentSuite();

  for (const file of loadingCorpusFiles()) {
    it(`${file}: its required questions can be answered and the response is stored`, async () => {
      const key = `e2e-${file.replace(/\.json$/, '').toLowerCase()}`;
      const definition = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
      const auth = { Authorization: `Bearer ${suite.admin.token}` };
      await request(suite.live.app).post(`/api/v1/instruments?key=${key}`).set(auth).send(definition).expect(201);
      const wave = await createWave(suite.live.app, suite.admin, { instrument: key, label: file });
      const context = await suite.browser.newContext(PHONE);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
      await page.locator('#survey .sd-root-modern, #survey [data-name]').first().waitFor();
      await clickThrough(page);
      await page.locator('#save-message').filter({ hasText: /opgeslagen|saved/ }).waitFor({ timeout: 20_000 });
      const stored = await request(suite.live.app).get(`/api/v1/waves/${wave.id}`).set(auth);
      expect(stored.body.responses).to.equal(1);
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  }
});

/** Next or Complete; where SurveyJS marks a question as needing an answer, answer it and try again. */
async function clickThrough(page: Page): Promise<void> {
  for (let step = 0; step < 40; step++) {
    const next = page.getByRole('button', { name: NEXT });
    const complete = page.getByRole('button', { name: COMPLETE });
    // SurveyJS re-renders as answers change: a button can be replaced while it is clicked; try again.
    const click = async (button: Locator) => button.click({ timeout: 5_000 }).catch(() => undefined);
    if (await next.isVisible()) await click(next);
    else if (await complete.isVisible()) await click(complete);
    else return; // sent: the survey is gone
    await page.waitForTimeout(400);
    // Questions, and the cells of a grid, that SurveyJS marks as needing an answer.
    const failing = page.locator('.sd-question--error, .sd-table__cell--error, .sd-multipletext__cell--error');
    const count = await failing.count();
    for (let i = 0; i < count; i++) await answer(page, failing.nth(i));
  }
  const failing = await page.locator('.sd-question--error[data-name]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name')}: ${e.textContent?.slice(0, 120)}`));
  const said = await page.locator('#save-message').textContent();
  throw new Error(`the survey did not end: ${JSON.stringify({ failing, said })}`);
}

/** The first possible answer of a question, whatever its type. */
async function answer(page: Page, question: Locator): Promise<void> {
  const first = async (selector: string) => {
    const found = question.locator(selector).first();
    if (await found.count() === 0) return false;
    await found.click({ force: true });
    return true;
  };
  const rankingItem = question.locator('.sv-ranking-item').first();
  if (await rankingItem.count()) {
    // SurveyJS moves a focused ranking item with the arrow keys (what a keyboard user does).
    await rankingItem.press('ArrowDown');
    return;
  }
  if (await first('.sd-rating__item, .sd-rating__item-smiley, .sd-rating__item-star')) return;
  if (await first('.sd-boolean, .sd-boolean__switch')) return;
  const radio = question.locator('input[type="radio"], input[type="checkbox"]').first();
  if (await radio.count()) { await radio.check({ force: true }); return; }
  const dropdown = question.locator('.sd-dropdown, .sd-tagbox').first();
  if (await dropdown.count()) {
    await dropdown.click();
    await page.locator('.sv-popup:visible .sd-list__item').first().click();
    return;
  }
  // A text box that asks for an e-mail address says so in its error (an email validator on a plain text box).
  const wantsEmail = /e-?mail/i.test((await question.locator('.sd-question__erbox, .sd-error').allTextContents()).join(' '));
  for (const input of await question.locator('input:not([type="hidden"]), textarea').all()) {
    if (!(await input.isVisible())) continue;
    const type = await input.getAttribute('type');
    // A field of a multiple-text question is mostly an amount; a number also passes a text check.
    const inMultipleText = await input.evaluate((el) => !!el.closest('.sd-multipletext'));
    if (type === 'number' || type === 'range') await input.fill('3');
    else if (inMultipleText) await input.fill('100');
    else if (type === 'date') await input.fill('2026-01-15');
    else if (type === 'email' || wantsEmail) await input.fill('iemand@example.org');
    else await input.fill('Een antwoord van twintig tekens of meer');
    // SurveyJS takes some values when the box loses focus.
    await input.press('Tab');
  }
}
