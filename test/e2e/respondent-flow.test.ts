import { expect } from 'chai';
import request from 'supertest';
import { fillSurvey, visibleQuestions } from './survey-pages';
import { liveRespondentSuite } from './browser';
import { createWave } from '../helpers/app';
import { sealPending } from '../helpers/seal';

describe('a respondent in a real browser', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  it('fills the TNO quickscan on a phone as a student without own experience, and the response is stored', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const foreignRequests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(suite.live.baseUrl) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    expect(await page.title()).to.equal('Vragenlijst');
    await fillSurvey(page, { b_role: 'Student', c_ervaring: 'Nee' });
    await page.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();

    const stored = await request(suite.live.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${suite.admin.token}`);
    expect(stored.body.responses).to.equal(1);
    await sealPending(suite.live.testDb.db); // as closing the wave would: the answers leave the pending table
    const rows = await suite.live.testDb.db('answers').where({ wave_id: wave.id, question: 'b_role' }).select('value');
    expect(rows).to.deep.equal([{ value: 'student' }]);
    expect(foreignRequests).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
    expect(await context.cookies()).to.deep.equal([]);
    await context.close();
  });

  it('routes a professional with own experience past a sensitive item with "zeg ik liever niet"', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const seen = new Set<string>();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await fillSurvey(page, {
      b_role: 'Professional', b_sector: ['Vrouwenopvang', 'Veilig Thuis'], c_ervaring: 'Ja', c_wanneer: 'Zeg ik liever niet',
      d_delen_met: 'Met niemand',
    }, async (p) => { for (const name of await visibleQuestions(p)) seen.add(name); });
    await page.getByText('Je antwoorden zijn opgeslagen. Dank je wel.').waitFor();
    // The professional's route: sector and the questions for people with experience, not the students' blocks.
    for (const name of ['b_sector', 'c_wanneer', 'd_delen_met', 't8_scholing']) expect(seen.has(name), name).to.equal(true);
    for (const name of ['b_instelling', 't9']) expect(seen.has(name), name).to.equal(false);
    await sealPending(suite.live.testDb.db);
    const [row] = await suite.live.testDb.db('responses').where({ wave_id: wave.id }).select('data');
    const data = JSON.parse(row.data);
    expect(data).to.deep.include({ b_role: 'professional', c_ervaring: 'ja', c_wanneer: ['refused'], d_delen_met: ['none'] });
    expect(data.b_sector).to.have.members(['vrouwenopvang', 'veilig_thuis']);
    await context.close();
  });

  it('leaves with the quick-exit button, and Back does not return to the survey', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const page = await suite.browser.newPage();
    await page.goto(`${suite.live.baseUrl}/login`);
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.getByRole('button', { name: 'Snel weg' }).click();
    await page.waitForURL('about:blank');
    await page.goBack();
    expect(page.url()).to.equal(`${suite.live.baseUrl}/login`);
    await page.close();
  });

  it('leaves when Escape is pressed twice, and Back does not return to the survey', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const page = await suite.browser.newPage();
    await page.goto(`${suite.live.baseUrl}/login`);
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name]').first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL('about:blank');
    await page.goBack();
    expect(page.url()).not.to.contain('/s/');
    await page.close();
  });

  it('keeps nothing on the device unless asked, and restores the answers when asked', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').getByText('Student', { exact: true }).click();
    expect(await page.evaluate('window.localStorage.length')).to.equal(0);
    await page.getByLabel('Bewaar mijn antwoorden op dit apparaat').check();
    expect(await page.evaluate('window.localStorage.length')).to.equal(1);
    await page.reload();
    expect(await page.getByLabel('Bewaar mijn antwoorden op dit apparaat').isChecked()).to.equal(true);
    expect(await page.locator('[data-name="b_role"] input[value="student"]').isChecked()).to.equal(true);
    await page.getByLabel('Bewaar mijn antwoorden op dit apparaat').uncheck();
    expect(await page.evaluate('window.localStorage.length')).to.equal(0);
    await context.close();
  });
});
