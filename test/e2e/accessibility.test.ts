// WCAG 2.1 AA checks with axe-core on the pages people use, and a survey completed with
// the keyboard alone. axe is injected from node_modules (the page's CSP is bypassed for
// that one script in this test only; other tests check the CSP itself).
import { expect } from 'chai';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { setupAdmin, createWave, Account } from '../helpers/app';

const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe('accessibility', function () {
  this.timeout(120000);
  let live: LiveApp;
  let browser: Browser;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    admin = await setupAdmin(live.app);
    wave = await createWave(live.app, admin);
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  async function staffPage(): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true });
    const login = await request(live.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const cookie = String(login.headers['set-cookie']).match(/spiegel_session=([^;]+)/)![1];
    await context.addCookies([{ name: 'spiegel_session', value: cookie, url: live.baseUrl }]);
    return context.newPage();
  }

  it('finds no serious or critical violation on the respondent page, on a phone', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name]').first().waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });

  it('finds no serious or critical violation on the login page', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${live.baseUrl}/login`);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await context.close();
  });

  it('finds no serious or critical violation on the staff pages', async () => {
    const page = await staffPage();
    for (const path of ['/waves', `/waves/${wave.id}`, `/waves/${wave.id}/preview`, '/waves/new', '/users', '/organisations']) {
      await page.goto(`${live.baseUrl}${path}`);
      expect(await seriousViolations(page), path).to.deep.equal([]);
    }
    await page.context().close();
  });

  it('lets a respondent complete the quickscan with the keyboard alone', async () => {
    const target = await createWave(live.app, admin);
    const page = await browser.newPage();
    await page.goto(`${live.baseUrl}/s/${target.token}`);
    await page.locator('[data-name]').first().waitFor();

    /** Presses Tab until the focused element matches, like a keyboard user looking for it. */
    async function tabTo(description: string, matches: string): Promise<void> {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(matches)) return;
      }
      throw new Error(`could not reach ${description} with Tab`);
    }
    const focusedButton = (text: string) => `(document.activeElement && document.activeElement.tagName !== 'BODY' && (document.activeElement.value === ${JSON.stringify(text)} || document.activeElement.textContent.trim() === ${JSON.stringify(text)}))`;
    const focusedChoice = (question: string, value: string) => `(document.activeElement && document.activeElement.closest('[data-name="${question}"]') !== null && document.activeElement.value === ${JSON.stringify(value)})`;

    const answers: Record<string, string> = { b_role: 'student', c_ervaring: 'nee' };
    for (let step = 0; step < 20; step++) {
      for (const [question, value] of Object.entries(answers)) {
        if (!(await page.locator(`[data-name="${question}"]`).isVisible())) continue;
        if (await page.locator(`[data-name="${question}"] input[value="${value}"]`).isChecked()) continue;
        // Tab lands on the group; the arrow keys move between the choices of a radio group.
        await tabTo(`a choice of ${question}`, `(document.activeElement && document.activeElement.closest('[data-name="${question}"]') !== null && document.activeElement.type === 'radio')`);
        for (let i = 0; i < 10 && !(await page.evaluate(focusedChoice(question, value))); i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Space');
        expect(await page.locator(`[data-name="${question}"] input[value="${value}"]`).isChecked(), question).to.equal(true);
      }
      if (await page.getByRole('button', { name: 'Volgende' }).isVisible()) {
        await tabTo('Volgende', focusedButton('Volgende'));
        await page.keyboard.press('Enter');
        continue;
      }
      await tabTo('Verzenden', focusedButton('Verzenden'));
      await page.keyboard.press('Enter');
      break;
    }
    await page.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();
    const stored = await request(live.app).get(`/api/v1/waves/${target.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(stored.body.responses).to.equal(1);
    await page.close();
  });
});
