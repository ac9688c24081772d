// An admin brings a questionnaire made elsewhere, in a real browser: chooses the JSON file,
// sees every problem at once, chooses the fixed file, previews it as a respondent would
// (nothing stored), publishes it for one organisation, and runs a wave of it that a
// respondent fills in.
import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { liveRespondentSuite, PHONE } from './browser';
import { fillSurvey } from './survey-pages';
import { sealPending } from '../helpers/seal';

const definition = (withProblems: boolean) => ({
  title: { default: 'Training feedback', nl: 'Terugblik training' },
  showProgressBar: 'top',
  ...(withProblems ? { cookieName: 'terugblik' } : {}),
  pages: [{ name: 'p1', elements: [
    { type: 'radiogroup', name: 'oordeel', title: { default: 'How was it?', nl: 'Hoe was het?' }, isRequired: true,
      choices: [{ value: 'goed', text: { default: 'Good', nl: 'Goed' } }, { value: 'matig', text: { default: 'So-so', nl: 'Matig' } }] },
    ...(withProblems ? [{ type: 'signaturepad', name: 'handtekening' }] : []),
    { type: 'comment', name: 'opmerking', title: { default: 'Remarks', nl: 'Opmerking' }, rows: 3 },
  ] }],
});

const fileOf = (withProblems: boolean) => ({
  name: 'terugblik.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition(withProblems), null, 2)),
});

describe('bringing an instrument in a real browser: file, problems, fix, preview, publish, wave', function () {
  this.timeout(180000);
  const suite = liveRespondentSuite();

  async function signedIn(): Promise<{ page: Page; close: () => Promise<void> }> {
    const context = await suite.browser.newContext();
    const login = await request(suite.live.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const session = String(login.headers['set-cookie']).match(/spiegel_session=([^;]+)/)![1];
    await context.addCookies([{ name: 'spiegel_session', value: session, url: suite.live.baseUrl }]);
    return { page: await context.newPage(), close: () => context.close() };
  }

  it('lists the file\'s problems, takes the fixed file, previews without storing, publishes for one organisation and runs a wave', async () => {
    const { page, close } = await signedIn();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.live.baseUrl}/instruments`);

    await page.getByLabel('Bestand kiezen (.json)').setInputFiles(fileOf(true));
    await page.getByLabel('Sleutel').fill('terugblik');
    await page.getByLabel('Voor').selectOption({ label: 'Opvang Noord' });
    await page.getByRole('button', { name: 'Controleren' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const rows = await alert.locator('tbody tr').allInnerTexts();
    expect(rows.length, rows.join('\n')).to.equal(2);
    expect(rows.join('\n')).to.contain('cookieName').and.contain('handtekening').and.contain('terugblik.json');
    // The file's text is in the box to be fixed there; the choices were kept.
    expect(await page.locator('#definition').inputValue()).to.contain('"cookieName": "terugblik"');
    expect(await page.getByLabel('Sleutel').inputValue()).to.equal('terugblik');

    await page.getByLabel('Bestand kiezen (.json)').setInputFiles(fileOf(false));
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByText('Geen problemen gevonden: ‘Terugblik training’ (2 vragen).').waitFor();
    expect(await page.getByRole('alert').count()).to.equal(0);

    // The preview opens beside the page, as the respondent page.
    const [preview] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Bekijken als invuller' }).click()]);
    await preview.getByText('Hoe was het?').waitFor();
    expect(await preview.getByTestId('preview-banner').isVisible()).to.equal(true);
    expect(await preview.getByRole('link', { name: 'English' }).count(), 'the languages of the instrument').to.equal(1);
    await fillSurvey(preview, { oordeel: 'Matig' });
    await preview.getByText('Dit was een voorbeeld').waitFor();
    expect(await preview.locator('body').innerText()).not.to.contain('Je antwoorden zijn opgeslagen');
    await preview.close();
    for (const table of ['responses', 'pending_responses', 'waves']) {
      expect(Number((await suite.live.testDb.db(table).count({ n: '*' }).first())?.n), table).to.equal(0);
    }

    await page.getByRole('button', { name: 'Publiceren als nieuwe versie' }).click();
    await page.getByText('‘Terugblik training’ is gepubliceerd als versie 1.').waitFor();
    expect(await page.locator('main, body').first().innerText()).to.contain('terugblik');
    const stored = await suite.live.testDb.db('instrument_versions').where({ key: 'terugblik' }).first();
    expect(stored.organisation_id, 'published for the organisation chosen').to.equal((await suite.live.testDb.db('organisations').where({ name: 'Opvang Noord' }).first()).id);

    // A wave of it, made on the new-wave page.
    await page.goto(`${suite.live.baseUrl}/waves/new`);
    await page.getByLabel('Naam van de meting').fill('Terugblik voorjaar');
    await page.getByLabel('Instrument').selectOption('terugblik');
    await page.getByRole('button', { name: 'Meting aanmaken' }).click();
    await page.waitForURL(/\/waves\/[0-9a-f-]{36}$/);
    const waveId = /\/waves\/([0-9a-f-]{36})$/.exec(page.url())![1];
    const wave = (await request(suite.live.app).get(`/api/v1/waves/${waveId}`).set('Authorization', `Bearer ${suite.admin.token}`)).body;
    expect(wave).to.include({ instrument: 'terugblik', version: 1 });
    await close();

    // A respondent fills it in, in English.
    const phone = await suite.browser.newContext(PHONE);
    const respondent = await phone.newPage();
    await respondent.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await respondent.getByRole('link', { name: 'English' }).click();
    await respondent.getByText('How was it?').waitFor();
    await respondent.locator('[data-name="oordeel"]').getByText('Good', { exact: true }).click();
    await respondent.getByRole('button', { name: /Complete|Send|Verzenden/ }).click();
    await respondent.locator('#save-state.saved').waitFor();
    await phone.close();
    await sealPending(suite.live.testDb.db);
    const answers = await suite.live.testDb.db('answers as a').join('responses as r', 'r.id', 'a.response_id').where('r.wave_id', waveId).select('a.question', 'a.value');
    expect(answers.map((a: { question: string; value: string }) => `${a.question}=${a.value}`)).to.deep.equal(['oordeel=goed']);
    expect(errors).to.deep.equal([]);
  });
});
