// The error pages a respondent can reach under /s/ keep her layout: a neutral title, "Snel
// weg", the support text and nothing that points to the staff side; a wave that opens later
// says when. axe finds no serious or critical violation on them.
import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { liveRespondentSuite, PHONE as PHONE_VIEWPORT } from './browser';
import { createWave } from '../helpers/app';

const AXE = require.resolve('axe-core/axe.min.js');
// axe is injected as a script: the page's CSP would refuse it.
const PHONE = { ...PHONE_VIEWPORT, bypassCSP: true };

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)`)) as Array<{ id: string; impact: string | null }>;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact})`);
}

describe('the error pages a respondent can reach', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  async function expectRespondentLayout(path: string, status: number, heading: string | RegExp): Promise<void> {
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const response = await page.goto(`${suite.live.baseUrl}${path}`);
    expect(response!.status(), path).to.equal(status);
    expect(await page.title()).to.equal('Vragenlijst');
    const h1 = await page.locator('h1').innerText();
    if (typeof heading === 'string') expect(h1).to.equal(heading); else expect(h1).to.match(heading);
    expect(await page.getByText('Veilig Thuis').isVisible()).to.equal(true);
    expect(await page.locator('a[href*="login"], a[href="/"]').count()).to.equal(0);
    expect(await page.locator('body').innerText()).not.to.contain('Spiegel');
    expect(await seriousViolations(page), path).to.deep.equal([]);
    await page.getByRole('link', { name: 'Snel weg' }).click();
    await page.waitForURL('about:blank');
    await context.close();
  }

  it('an unknown link: neutral title, Snel weg, support text, no staff login', async () => {
    await expectRespondentLayout('/s/AAAAAAAAAAAAAAAAAAAAAAAA', 404, 'Niet gevonden.');
  });

  it('a closed wave', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    await request(suite.live.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${suite.admin.token}`).send({ status: 'closed' }).expect(200);
    await expectRespondentLayout(`/s/${wave.token}`, 410, 'Deze vragenlijst is gesloten.');
  });

  it('a used invitation', async () => {
    const wave = await createWave(suite.live.app, suite.admin, { instrument: 'weerman-organisatiescan', mode: 'identified' });
    const [invitation] = (await request(suite.live.app).post(`/api/v1/waves/${wave.id}/invitations`)
      .set('Authorization', `Bearer ${suite.admin.token}`).send({ count: 1 })).body;
    await suite.live.testDb.db('invitations').where({ id: invitation.id }).update({ used_on: '2026-01-01' });
    await expectRespondentLayout(`/s/${invitation.token}`, 410, 'Deze uitnodiging is al gebruikt.');
  });

  it('a wave that opens later says when it opens, in Dutch, not that it is closed', async () => {
    const wave = await createWave(suite.live.app, suite.admin, { opensAt: '2099-12-03' });
    await expectRespondentLayout(`/s/${wave.token}`, 410, 'Deze vragenlijst is nog niet open. Je kunt hem invullen vanaf 3 december 2099.');
  });
});
