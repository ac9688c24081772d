// WCAG 2.1 AA checks (axe-core, as test/e2e/accessibility.test.ts) on the pages of a team
// wave: the record a manager edits, the plan dashboard, and a member link's page.
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

describe('accessibility of a team wave', function () {
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

  it('finds no serious or critical violation on the record, the plan and a member link\'s page', async () => {
    const wave = await createWave(live.app, admin, { instrument: 'valente-zes-stappen', label: 'Plan', mode: 'team' });
    const auth = { Authorization: `Bearer ${admin.token}` };
    await request(live.app).put(`/api/v1/waves/${wave.id}/record`).set(auth)
      .send({ revision: 0, data: { s1a1_status: 'bezig', s1a1_streefdatum: '2020-01-01', s1a2_besluit: 'niet', s1a2_motivatie: 'Nee.' } }).expect(200);
    const [link] = (await request(live.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth).send({ names: ['Lid'] })).body;

    const context = await browser.newContext({ bypassCSP: true });
    const login = await request(live.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const cookie = String(login.headers['set-cookie']).match(/spiegel_session=([^;]+)/)![1];
    await context.addCookies([{ name: 'spiegel_session', value: cookie, url: live.baseUrl }]);
    const page = await context.newPage();
    for (const path of [`/waves/${wave.id}`, `/waves/${wave.id}/record`, `/waves/${wave.id}/plan?since=2020-01-01`]) {
      await page.goto(`${live.baseUrl}${path}`);
      if (path.endsWith('/record')) await page.locator('[data-name="s1a1_status"]').waitFor();
      expect(await seriousViolations(page), path).to.deep.equal([]);
    }
    const member = await (await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true })).newPage();
    await member.goto(`${live.baseUrl}/s/${link.token}`);
    await member.locator('[data-name="s1a1_status"]').waitFor();
    expect(await seriousViolations(member), 'member link').to.deep.equal([]);
  });
});
