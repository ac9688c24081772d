// What the respondent is told about anonymity comes from the wave's mode, not from the
// instrument file.
import { expect } from 'chai';
import request from 'supertest';
import { liveRespondentSuite, PHONE } from './browser';
import { createWave } from '../helpers/app';


describe('a respondent told the truth about anonymity', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  it('reads on an anonymous quickscan that it is anonymous, once, on the first page', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name="a_intro"]').waitFor();
    const text = await page.locator('body').innerText();
    expect(text.match(/is anoniem/g)).to.have.length(1);
    expect(text).to.contain('Deze vragenlijst is anoniem');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').waitFor();
    expect(await page.getByText('Deze vragenlijst is anoniem').isVisible()).to.equal(false);
    await context.close();
  });

  it('reads on an invitation that her answers are linked to it, and never that it is anonymous', async () => {
    const wave = await createWave(suite.live.app, suite.admin, { instrument: 'weerman-organisatiescan', mode: 'identified' });
    const [invitation] = (await request(suite.live.app).post(`/api/v1/waves/${wave.id}/invitations`)
      .set('Authorization', `Bearer ${suite.admin.token}`).send({ count: 1 })).body;
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${invitation.token}`);
    await page.locator('[data-name]').first().waitFor();
    const text = await page.locator('body').innerText();
    expect(text).to.contain('Deze vragenlijst is niet anoniem');
    expect(text).not.to.match(/vragenlijst is anoniem|anoniem ingevuld/);
    await context.close();
  });
});
