// Every definition of the corpus that loads can be filled in in Chromium: published through
// the API, opened from its public link, every question it shows answered as a respondent
// would (the first choice, a short text, a number), and sent. What the browser sent is then
// followed through: stored (the answers table, the same as two more copies of it sent
// through the API), shown (the results API and page), compared (a second wave of the same
// answers, through the compare API) and exported (a column with the answer in the CSV).
import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Locator, Page } from 'playwright-core';
import { liveRespondentSuite, PHONE } from './browser';
import { createWave } from '../helpers/app';
import { sealPending } from '../helpers/seal';
import { CORPUS_DIR, loadingCorpusFiles } from '../helpers/corpus';
import { rowsOf } from '../helpers/csv';

const NEXT = /^(Volgende|Next)$/;
const COMPLETE = /^(Verzenden|Complete)$/;

/** Definitions whose questions are all optional tag boxes, which the browser leaves unanswered (see clickThrough). */
const ONLY_OPTIONAL_TAGBOXES = new Set(['survey-library-tagbox-420.json']);

interface Answer { response_id: string; question: string; row: string; value: string | null; text: string | null }

describe('the corpus of SurveyJS definitions in a real browser', function () {
  this.timeout(120_000);
  const suite = liveRespondentSuite();

  for (const file of loadingCorpusFiles()) {
    it(`${file}: every question it shows can be answered; the response is stored, shown, compared and exported`, async () => {
      const key = `e2e-${file.replace(/\.json$/, '').toLowerCase()}`;
      const definition = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
      const auth = { Authorization: `Bearer ${suite.admin.token}` };
      const db = suite.live.testDb.db;
      await request(suite.live.app).post(`/api/v1/instruments?key=${key}`).set(auth).send(definition).expect(201);
      const wave = await createWave(suite.live.app, suite.admin, { instrument: key, label: file, minGroupSize: 3 });
      const context = await suite.browser.newContext(PHONE);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let sent: { data: Record<string, unknown> } | null = null;
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith(`/s/${wave.token}/responses`)) sent = JSON.parse(r.postData() ?? 'null');
      });
      await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
      await page.locator('#survey .sd-root-modern, #survey [data-name]').first().waitFor();
      await clickThrough(page);
      await page.locator('#save-message').filter({ hasText: /opgeslagen|saved/ }).waitFor({ timeout: 20_000 });
      await context.close();
      expect(errors).to.deep.equal([]);
      const data = sent!.data;
      if (ONLY_OPTIONAL_TAGBOXES.has(file)) {
        // TODO (see clickThrough): nothing was answered; the empty response is stored.
        expect((await request(suite.live.app).get(`/api/v1/waves/${wave.id}`).set(auth)).body.responses).to.equal(1);
        return;
      }
      expect(Object.keys(data), 'the browser sent answers').not.to.deep.equal([]);

      // Two more copies of the browser's response (the minimum group is 3), and a second
      // wave of three, to compare with.
      const send = (token: string) => request(suite.live.app).post(`/s/${token}/responses`).send({ submissionId: crypto.randomUUID(), data }).expect(201);
      await send(wave.token);
      await send(wave.token);
      const other = await createWave(suite.live.app, suite.admin, { instrument: key, label: `${file} (2)`, minGroupSize: 3 });
      for (let i = 0; i < 3; i++) await send(other.token);
      await sealPending(db);

      // Stored: each of the three responses holds the same answers, one for each question answered.
      const rows: Answer[] = await db('answers').where({ wave_id: wave.id }).select('response_id', 'question', 'row', 'value', 'text');
      const perResponse = new Map<string, string[]>();
      for (const r of rows) perResponse.set(r.response_id, [...(perResponse.get(r.response_id) ?? []), `${r.question}|${r.row}|${r.value}|${r.text}`]);
      expect(perResponse.size, 'responses with answers').to.equal(3);
      const [browser, ...copies] = [...perResponse.values()].map((list) => list.sort().join('\n'));
      for (const copy of copies) expect(copy).to.equal(browser);
      const stored = [...new Set(rows.map((r) => r.question))];
      for (const name of stored) expect(data, `${name} was sent`).to.have.property(name);
      // Every question the browser sent an answer to is stored, but what is never kept (an
      // expression) or kept as the other text of its question.
      const types = typesOf(definition);
      const unstored = Object.keys(data).filter((name) => !stored.includes(name) && !name.endsWith('-Comment') && types.get(name) !== 'expression');
      expect(unstored, 'answers sent but not stored').to.deep.equal([]);

      // Shown: the results API counts three for every stored question; the page shows them.
      const results = await request(suite.live.app).get(`/api/v1/waves/${wave.id}/results`).set(auth);
      expect(results.status).to.equal(200);
      expect(results.body.n).to.equal(3);
      const shown = new Map<string, Record<string, unknown>>((results.body.questions as Array<Record<string, unknown>>).map((q) => [String(q.name), q]));
      for (const name of stored) {
        const question = shown.get(name);
        expect(question, `${name} in the results`).not.to.equal(undefined);
        expect(answeredIn(question!), `${name} counted in the results: ${JSON.stringify(question).slice(0, 300)}`).to.equal(true);
      }
      const resultsPage = await request(suite.live.app).get(`/waves/${wave.id}/results`).set(auth);
      expect(resultsPage.status).to.equal(200);

      // Compared: the two waves side by side, each of the stored closed questions in it.
      const compared = await request(suite.live.app).get('/api/v1/compare').query({ waves: `${wave.id},${other.id}` }).set(auth);
      expect(compared.status, JSON.stringify(compared.body).slice(0, 300)).to.equal(200);
      expect(compared.body.n).to.equal(6);
      const comparedNames = new Set((compared.body.items as Array<{ name: string }>).map((i) => i.name));
      // Closed questions (rankings too, one item per choice) and numbers (issue 15).
      const closed = stored.filter((name) => (Array.isArray(shown.get(name)!.options) && (shown.get(name)!.options as unknown[]).length > 0)
        || shown.get(name)!.kind === 'number');
      expect(closed.filter((name) => !comparedNames.has(name)), 'closed questions missing from the comparison').to.deep.equal([]);

      // Exported: a filled column for every stored question, of every type.
      const csv = await request(suite.live.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(auth);
      expect(csv.status).to.equal(200);
      const lines = rowsOf(csv.text);
      expect(lines.length).to.equal(3);
      const header = Object.keys(lines[0]);
      const notExported: string[] = [];
      for (const name of stored) {
        const columns = header.filter((h) => h === name || h.startsWith(`${name}.`) || h.startsWith(`${name}_`));
        const filled = columns.some((h) => (lines[0][h] ?? '') !== '');
        if (!filled) notExported.push(name);
      }
      expect(notExported, 'stored answers without a filled export column').to.deep.equal([]);
    });
  }
});

/** The type of every named element of a definition, panels and dynamic panels included. */
function typesOf(definition: Record<string, unknown>): Map<string, string> {
  const types = new Map<string, string>();
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const e of elements as Array<Record<string, unknown>>) {
      if (typeof e.name === 'string') types.set(e.name, String(e.type));
      walk(e.elements);
      walk(e.templateElements);
    }
  };
  walk(definition.elements);
  walk(definition.questions);
  for (const p of (definition.pages as Array<Record<string, unknown>> | undefined) ?? []) walk(p.elements);
  return types;
}

/** Whether a results question counts three answers, whatever its kind. */
function answeredIn(question: Record<string, unknown>): boolean {
  const text = JSON.stringify(question);
  return question.n === 3 || /"n":3\b/.test(text) || /"count":3\b/.test(text);
}

/**
 * Every question on the page answered once (a question shown later by an answer too), then
 * Next or Complete; where SurveyJS marks a question as needing an answer, answer it and try again.
 */
async function clickThrough(page: Page): Promise<void> {
  const answered = new Set<string>();
  for (let step = 0; step < 40; step++) {
    for (let round = 0; round < 5; round++) {
      const names = (await page.locator('#survey .sd-question[data-name]').evaluateAll((els) => els
        .filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null && !e.parentElement?.closest('.sd-question'))
        .map((e) => e.getAttribute('data-name')!))).filter((name) => !answered.has(name));
      if (names.length === 0) break;
      for (const name of names) {
        answered.add(name);
        const question = page.locator(`#survey .sd-question[data-name="${name}"]`).first();
        // TODO: a tag box's list stays open after a choice and covers the page on a phone; it
        // is answered only where SurveyJS asks for it (below), not on every page.
        if (await question.locator('.sd-tagbox').count()) continue;
        await answer(page, question);
      }
    }
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
  // A rubric matrix (the cells are the choices): the first cell of every row.
  const rubricRows = question.locator('tr:has(.sd-matrix__text)');
  if (await rubricRows.count()) {
    for (const row of await rubricRows.all()) await row.locator('.sd-matrix__text').first().click({ force: true });
    return;
  }
  // A dropdown shown as the browser's own list.
  const select = question.locator('select').first();
  if (await select.count()) { await select.selectOption({ index: 1 }); return; }
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
