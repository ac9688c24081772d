// The preview on a phone, as a manager tries a wave before anyone answers it: the
// respondent's page with a banner, sent and thanked, and nothing counted.
import { expect } from 'chai';
import request from 'supertest';
import { liveRespondentSuite, PHONE } from './browser';
import { fillSurvey } from './survey-pages';
import { createWave } from '../helpers/app';

describe('the preview of a wave in a real browser', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  /** The manager logged in, on a phone-sized page that records its script errors. */
  async function managerOnPhone() {
    const context = await suite.browser.newContext(PHONE);
    const login = await request(suite.live.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const session = String(login.headers['set-cookie']).match(/spiegel_session=([^;]+)/)![1];
    await context.addCookies([{ name: 'spiegel_session', value: session, url: suite.live.baseUrl }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  it('looks like the respondent page, is sent and thanked, and counts nothing', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const { context, page, errors } = await managerOnPhone();

    // From the wave page, as a manager finds it.
    await page.goto(`${suite.live.baseUrl}/waves/${wave.id}`);
    await page.getByTestId('preview-link').click();
    await page.waitForURL(`${suite.live.baseUrl}/waves/${wave.id}/preview`);
    expect(await page.title()).to.equal('Vragenlijst');
    expect(await page.getByTestId('preview-banner').isVisible()).to.equal(true);
    expect(await page.getByRole('button', { name: 'Snel weg' }).isVisible()).to.equal(true);
    expect(await page.getByText('Deze vragenlijst is anoniem').isVisible()).to.equal(true);

    // The respondent's routing: a student is asked her institution, not her sector.
    const seen = new Set<string>();
    await fillSurvey(page, { b_role: 'Student', b_instelling: 'De Haagse Hogeschool', c_ervaring: 'Nee' }, async (p) => {
      for (const name of await p.locator('[data-name]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!))) seen.add(name);
    });
    await page.getByText('Dit was een voorbeeld').waitFor();
    expect(await page.locator('body').innerText()).not.to.contain('Je antwoorden zijn opgeslagen');
    expect(seen.has('b_instelling')).to.equal(true);
    expect(seen.has('b_sector')).to.equal(false);

    const shown = await request(suite.live.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${suite.admin.token}`);
    expect(shown.body.responses).to.equal(0);
    for (const table of ['responses', 'pending_responses']) {
      expect(Number((await suite.live.testDb.db(table).where({ wave_id: wave.id }).count({ n: '*' }))[0].n), table).to.equal(0);
    }
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('offers the instrument\'s languages as the respondent page does, and switches to English', async () => {
    const bilingual = {
      title: { default: 'Check-in', nl: 'Even peilen' },
      pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'gevoel', title: { default: 'How are you?', nl: 'Hoe gaat het?' },
        choices: [{ value: 'goed', text: { default: 'Fine', nl: 'Goed' } }, { value: 'slecht', text: { default: 'Not fine', nl: 'Niet goed' } }] }] }],
    };
    await request(suite.live.app).post('/api/v1/instruments?key=peiling').set('Authorization', `Bearer ${suite.admin.token}`).send(bilingual).expect(201);
    const wave = await createWave(suite.live.app, suite.admin, { instrument: 'peiling' });
    const { context, page, errors } = await managerOnPhone();

    await page.goto(`${suite.live.baseUrl}/waves/${wave.id}/preview`);
    await page.getByText('Hoe gaat het?').waitFor();
    expect(await page.getByRole('button', { name: 'Snel weg' }).isVisible()).to.equal(true);
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByText('How are you?').waitFor();
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    expect(await page.getByRole('button', { name: 'Leave now' }).isVisible()).to.equal(true);
    expect(await page.getByTestId('preview-banner').innerText()).to.contain('Preview: this is how');
    // Sent in English: still checked, thanked in English, and stored nowhere.
    await page.locator('[data-name="gevoel"]').getByText('Fine', { exact: true }).click();
    await page.getByRole('button', { name: /Complete|Send|Verzenden/ }).click();
    await page.getByText('This was a preview').waitFor();
    expect(Number((await suite.live.testDb.db('responses').where({ wave_id: wave.id }).count({ n: '*' }))[0].n)).to.equal(0);
    // And back to Dutch.
    await page.goto(`${suite.live.baseUrl}/waves/${wave.id}/preview?lang=en`);
    await page.getByRole('link', { name: 'Nederlands' }).click();
    await page.getByText('Hoe gaat het?').waitFor();
    expect(await page.locator('html').getAttribute('lang')).to.equal('nl');
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
