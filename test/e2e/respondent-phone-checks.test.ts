// More of the respondent page on a 360x740 phone: a validation message is never under the
// sticky bars, progress counts up one page at a time however routing reveals pages, and
// Forward after "Snel weg" does not bring the survey back with her answers.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { liveRespondentSuite, PHONE } from './browser';
import { createWave } from '../helpers/app';

/** Answers what is asked on each page by label until `until` is visible (not sent). */
async function walkTo(page: Page, answers: Record<string, string | string[]>, until: string, onPage?: () => Promise<void>): Promise<void> {
  const answered = new Set<string>();
  for (let step = 0; step < 30; step++) {
    if (onPage) await onPage();
    if (await page.locator(`[data-name="${until}"]`).isVisible()) return;
    for (const [name, labels] of Object.entries(answers)) {
      const question = page.locator(`[data-name="${name}"]`);
      if (answered.has(name) || !(await question.isVisible())) continue;
      for (const label of Array.isArray(labels) ? labels : [labels]) await question.getByText(label, { exact: true }).click();
      answered.add(name);
    }
    await page.getByRole('button', { name: 'Volgende' }).click();
  }
  throw new Error(`${until} never came`);
}

/** Whether each of the elements is wholly on screen and the topmost thing at its corners and centre. */
async function uncovered(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => els.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null).flatMap((e) => {
    const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } }).document;
    const r = e.getBoundingClientRect();
    const problems: string[] = [];
    if (r.top < 0 || r.bottom > 740 || r.left < 0 || r.right > 360) problems.push(`${e.textContent} off screen at ${JSON.stringify(r)}`);
    for (const [x, y] of [[r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]]) {
      const top = doc.elementFromPoint(x, y);
      if (!top || !(top === (e as unknown) || (e as unknown as { contains(n: unknown): boolean }).contains(top))) problems.push(`${e.textContent} covered at ${Math.round(x)},${Math.round(y)}`);
    }
    return problems;
  }));
}

describe('the respondent page on a 360x740 phone, more checks', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  it('shows the invalid e-mail message where she can read it, not under a sticky bar', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await walkTo(page, { b_role: 'Student', c_ervaring: 'Nee' }, 'm_interview');
    await page.locator('[data-name="m_interview"]').getByText('Ja', { exact: true }).click();
    // Each contact field is wide enough to see what she types (SurveyJS left them 0 px wide at 360 px).
    const email = page.locator('[data-name="m_contact"] input[type="email"]');
    await email.waitFor();
    await page.waitForTimeout(500); // the question fades in
    for (const input of await page.locator('[data-name="m_contact"] input').all()) expect((await input.boundingBox())!.width).to.be.at.least(200);
    await email.fill('geen-adres');
    const send = page.getByRole('button', { name: /Verzenden|Volgende/ });
    await send.first().click();
    const message = page.getByText('Vul een geldig e-mailadres in');
    await message.first().waitFor();
    await page.waitForTimeout(600); // SurveyJS scrolls to the question
    expect(await uncovered(page, '.sd-question__erbox, .sd-multipletext__item-container .sd-question__erbox')).to.deep.equal([]);
    // Scrolled to the very end, where a bottom bar would sit, the message and the buttons are still clear.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.waitForTimeout(200);
    const box = await message.first().boundingBox();
    if (box && box.y >= 0 && box.y + box.height <= 740) expect(await uncovered(page, '.sd-question__erbox')).to.deep.equal([]);
    await context.close();
  });

  it('shows a required-question message uncovered on the first page it appears', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name]').first().waitFor();
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').waitFor();
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('.sd-question__erbox').first().waitFor();
    await page.waitForTimeout(600);
    expect(await uncovered(page, '.sd-question__erbox')).to.deep.equal([]);
    await context.close();
  });

  it('counts pages one at a time as routing reveals them, never with a total', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name]').first().waitFor();
    const seen: string[] = [];
    await walkTo(page, {
      b_role: 'Professional', b_sector: ['Vrouwenopvang'], c_ervaring: 'Ja', c_wanneer: 'Zeg ik liever niet', d_delen_met: 'Met niemand',
    }, 'm_interview', async () => {
      seen.push(await page.evaluate(`Array.from(document.querySelectorAll('#survey *')).filter((e) => /^Pagina \\d/.test(e.textContent.trim()) && e.offsetParent !== null && e.children.length === 0).map((e) => e.textContent.trim()).join('+')`) as string);
    });
    expect(seen.length).to.be.greaterThan(4);
    seen.forEach((text, i) => expect(text, `page ${i + 1}: ${seen.join(' | ')}`).to.equal(`Pagina ${i + 1}`));
    await context.close();
  });

  it('does not bring the survey back with her answers on Forward after "Snel weg"', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await walkTo(page, { b_role: 'Student', c_ervaring: 'Ja' }, 'd_delen_met');
    await page.getByRole('button', { name: 'Snel weg' }).click();
    await page.waitForURL('about:blank');
    await page.goForward().catch(() => null);
    await page.waitForTimeout(500);
    // Forward finds nothing to go to, or a survey that starts empty: never her answers.
    if (page.url() !== 'about:blank') {
      await page.locator('[data-name]').first().waitFor();
      expect(await page.locator('[data-name="c_wanneer"]').isVisible()).to.equal(false);
      expect(await page.locator('input:checked').count()).to.equal(0);
    }
    await page.goBack().catch(() => null);
    await page.waitForTimeout(500);
    if (page.url() !== 'about:blank' && page.url().includes('/s/')) {
      expect(await page.locator('input:checked').count()).to.equal(0);
    }
    await context.close();
  });
});
