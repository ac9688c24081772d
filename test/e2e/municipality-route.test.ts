// Issue 16: a municipality runs the Movisie route in a real browser. Its manager is offered
// the route and none of the shelter instruments, keeps the route as the team's record, and
// sees its dashboard: the seven steps, the current one, a reason for "not applicable", and
// the attribution to Movisie; the dashboard passes axe's WCAG 2.1 AA checks.
import { expect } from 'chai';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { createUser, setupAdmin, PASSWORD } from '../helpers/app';

const AXE = require.resolve('axe-core/axe.min.js');

describe('a municipality keeps the Movisie route and sees its dashboard', function () {
  this.timeout(240000);
  let live: LiveApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    const admin = await setupAdmin(live.app);
    const made = await request(live.app).post('/api/v1/organisations').set('Authorization', `Bearer ${admin.token}`).send({ name: 'Gemeente Breda', kind: 'gemeente' });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    await createUser(live.app, admin, { email: 'beleid@breda.test', role: 'manager', organisationId: made.body.id });
    page = await (await browser.newContext({ bypassCSP: true })).newPage(); // CSP bypassed only to inject axe
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  const question = (name: string) => page.locator(`[data-name="${name}"]`);

  it('offers the route only, keeps it as the team record, and shows the route\'s dashboard', async () => {
    await page.goto(`${live.baseUrl}/login`);
    await page.fill('#email', 'beleid@breda.test');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL('**/waves');

    await page.goto(`${live.baseUrl}/waves/new`);
    const offered = await page.locator('#instrument option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).to.deep.equal(['movisie-gemeente']);
    await page.fill('#label', 'Route 2026');
    await page.selectOption('#instrument', 'movisie-gemeente');
    await page.getByLabel('Als team (één gedeeld dossier, niet anoniem)').check();
    await page.getByRole('button', { name: 'Meting aanmaken' }).click();
    await page.waitForURL(/\/waves\/[0-9a-f-]{36}$/);
    const waveId = page.url().split('/').pop()!;

    await page.goto(`${live.baseUrl}/waves/${waveId}/record`);
    expect(await page.getByTestId('not-anonymous').textContent()).to.contain('niet anoniem');
    await question('s1a1_status').getByText('Gerealiseerd', { exact: true }).click();
    await question('s1a2_status').getByText('Bezig', { exact: true }).click();
    await question('s2a2_status').getByText('Niet van toepassing', { exact: true }).click();
    await question('s2a2_reden').locator('textarea').fill('Nog geen beleidstraject dit jaar.');
    await page.getByTestId('record-save').click();
    await page.getByTestId('record-message').filter({ hasText: 'Opgeslagen als versie 1.' }).waitFor({ timeout: 15000 });

    await page.goto(`${live.baseUrl}/waves/${waveId}/plan`);
    const dashboard = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    expect(dashboard).to.contain('Samen deskundig: de route voor de gemeente')
      .and.contain('Concreet aan de slag').and.contain('Gebieden van samenwerking').and.contain('Rollen van de gemeente')
      .and.contain('Monitor en evalueer').and.contain('Structurele inbedding')
      .and.contain('Nog geen beleidstraject dit jaar.')
      .and.contain('Movisie: Samen deskundig. Handreiking voor gemeenten');
    expect(await page.getByTestId('current-step').textContent()).to.contain('Stap 1').and.contain('Concreet aan de slag');
    expect(await page.getByTestId('plan-overall').textContent()).to.match(/\d/);

    await page.addScriptTag({ path: AXE });
    const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)`)) as
      Array<{ id: string; impact: string | null }>;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).to.deep.equal([]);
  });
});
