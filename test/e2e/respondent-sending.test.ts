// Sending tells the truth, and the survey pages behave like pages: what a respondent sees
// after "Verzenden" is what the server did with her answers, and Back/Forward move between
// survey pages without losing an answer.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fillSurvey } from './survey-pages';
import { sealPending } from '../helpers/seal';
import { launchBrowser, startLiveApp, LiveApp, liveRespondentSuite, PHONE } from './browser';
import { setupAdmin, createWave, Account } from '../helpers/app';

const STUDENT = { b_role: 'Student', c_ervaring: 'Nee' };
const THANKS = 'Je antwoorden zijn opgeslagen. Dank je wel.';

describe('a respondent sending her answers in a real browser', function () {
  this.timeout(120000);
  let live: LiveApp;
  let browser: Browser;
  let admin: Account;
  let context: BrowserContext;
  let page: Page;
  let wave: { id: string; token: string };

  before(async () => {
    live = await startLiveApp({ QUICK_EXIT_URL: 'about:blank' });
    browser = await launchBrowser();
    admin = await setupAdmin(live.app);
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });
  beforeEach(async () => {
    wave = await createWave(live.app, admin);
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  });
  afterEach(async () => { await context?.close(); });

  const submitUrl = () => `${live.baseUrl}/s/${wave.token}/responses`;
  // Stored means on disk, pending or sealed (server/sealing/).
  const countIn = async (table: string) => Number((await live.testDb.db(table).where({ wave_id: wave.id }).count({ n: '*' }))[0].n);
  const storedResponses = async () => (await countIn('pending_responses')) + (await countIn('responses'));
  const bodyText = () => page.locator('body').innerText();

  it('does not thank her on the last page before she has sent anything', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), () => { /* never answered: the page must not decide for the server */ });
    await fillSurvey(page, STUDENT);
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
  });

  it('keeps the answers on the page and on the device when the network is cut at Verzenden, and sends them after a reload', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.getByLabel('Bewaar mijn antwoorden op dit apparaat').check();
    await page.route(submitUrl(), (route) => route.abort('internetdisconnected'));
    await fillSurvey(page, STUDENT);
    await page.getByText('Er is geen verbinding', { exact: false }).waitFor();
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
    expect(await page.getByRole('button', { name: 'Verzenden' }).isVisible()).to.equal(true);
    expect(await page.getByRole('button', { name: 'Opnieuw proberen' }).isVisible()).to.equal(true);
    expect(await page.evaluate('window.localStorage.length')).to.equal(1);
    expect(await storedResponses()).to.equal(0);

    await page.unroute(submitUrl());
    page.on('dialog', (d) => void d.accept());
    await page.reload();
    expect(await page.getByLabel('Bewaar mijn antwoorden op dit apparaat').isChecked()).to.equal(true);
    await page.getByRole('button', { name: 'Verzenden' }).click();
    await page.getByText(THANKS).waitFor();
    expect(await storedResponses()).to.equal(1);
    await sealPending(live.testDb.db);
    const [row] = await live.testDb.db('answers').where({ wave_id: wave.id, question: 'b_role' }).select('value');
    expect(row).to.deep.equal({ value: 'student' });
    expect(await page.evaluate('window.localStorage.length')).to.equal(0);
  });

  it('gives up on a send that hangs, offers to try again, and the retry is stored once', async () => {
    await page.clock.install();
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    let hung = 0;
    await page.route(submitUrl(), (route) => { hung++; if (hung > 1) return route.continue(); /* the first never answers */ });
    await fillSurvey(page, STUDENT);
    await page.getByText('Je antwoorden worden verstuurd', { exact: false }).waitFor();
    await page.clock.runFor(31000);
    await page.getByText('Het versturen duurt te lang', { exact: false }).waitFor();
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
    await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.getByText(THANKS).waitFor();
    expect(await storedResponses()).to.equal(1);
  });

  it('says a closed wave is closed, without a retry, and keeps the answers on the page', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), (route) => route.fulfill({ status: 410, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'gone', message: 'Deze vragenlijst is gesloten.' } }) }));
    await fillSurvey(page, STUDENT);
    await page.getByText('Deze vragenlijst is gesloten.', { exact: false }).waitFor();
    expect(await bodyText()).to.contain('niet verstuurd');
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
    expect(await page.getByRole('button', { name: 'Opnieuw proberen' }).isVisible()).to.equal(false);
    expect(await page.getByRole('button', { name: 'Verzenden' }).isVisible()).to.equal(true);
  });

  it('says a used invitation was used', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), (route) => route.fulfill({ status: 410, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'gone', message: 'Deze uitnodiging is al gebruikt.' } }) }));
    await fillSurvey(page, STUDENT);
    await page.getByText('Deze uitnodiging is al gebruikt.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Opnieuw proberen' }).isVisible()).to.equal(false);
  });

  it('names the question the server refused, takes her there, and keeps every answer', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), (route) => route.fulfill({ status: 422, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid', message: 'Niet alle antwoorden zijn in orde.' },
        errors: [{ question: 'b_role', message: 'Kies een van de antwoorden.' }] }) }));
    await fillSurvey(page, STUDENT);
    await page.getByText('Ben je professional of student?', { exact: false }).first().waitFor();
    const message = await page.locator('#save-state').innerText();
    expect(message).to.contain('Ben je professional of student?');
    expect(message).to.contain('Kies een van de antwoorden.');
    expect(await page.locator('[data-name="b_role"]').isVisible()).to.equal(true);
    expect(await page.locator('[data-name="b_role"] input[value="student"]').isChecked()).to.equal(true);
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
  });

  it('asks her to wait as long as Retry-After says when the server is busy, and offers to try again', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), (route) => route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '30' },
      body: JSON.stringify({ error: { code: 'unavailable', message: 'Even niet beschikbaar.' } }) }));
    await fillSurvey(page, STUDENT);
    await page.getByText('over 30 seconden', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Opnieuw proberen' }).isVisible()).to.equal(true);
    expect(await bodyText()).not.to.match(/Bedankt|Dank je/);
  });

  it('treats 429 like a busy server', async () => {
    await page.goto(`${live.baseUrl}/s/${wave.token}`);
    await page.route(submitUrl(), (route) => route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': '5' },
      body: JSON.stringify({ error: { code: 'too_many_requests', message: 'Te vaak.' } }) }));
    await fillSurvey(page, STUDENT);
    await page.getByText('over 5 seconden', { exact: false }).waitFor();
  });
});

describe('a respondent moving through the survey with Back and Forward', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  it('goes back to the previous survey page with every answer kept, and forward again', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/login`);
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').getByText('Student', { exact: true }).click();
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="c_ervaring"]').waitFor();
    await page.locator('[data-name="c_ervaring"]').getByText('Nee', { exact: true }).click();

    await page.goBack();
    await page.locator('[data-name="b_role"]').waitFor();
    expect(page.url()).to.contain(`/s/${wave.token}`);
    expect(await page.locator('[data-name="b_role"] input[value="student"]').isChecked()).to.equal(true);

    await page.goForward();
    await page.locator('[data-name="c_ervaring"]').waitFor();
    expect(await page.locator('[data-name="c_ervaring"] input[value="nee"]').isChecked()).to.equal(true);

    // "Vorige" is the same step as Back: it does not pile up history entries.
    await page.getByRole('button', { name: 'Vorige' }).click();
    await page.locator('[data-name="b_role"]').waitFor();
    await page.goBack();
    await page.locator('[data-name="a_intro"]').waitFor();
    expect(page.url()).to.contain(`/s/${wave.token}`);
    await context.close();
  });

  it('asks before leaving with unsent answers', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').getByText('Student', { exact: true }).click();
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.type()); void d.dismiss(); }));
    void page.goto('about:blank').catch(() => undefined);
    expect(await asked).to.equal('beforeunload');
    expect(page.url()).to.contain(`/s/${wave.token}`);
    await context.close();
  });

  it('leaves at once with "Snel weg" even with unsent answers, and Back does not return to the survey', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    let asked = false;
    page.on('dialog', (d) => { asked = true; void d.dismiss(); });
    await page.goto(`${suite.live.baseUrl}/login`);
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="b_role"]').getByText('Student', { exact: true }).click();
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.locator('[data-name="c_ervaring"]').waitFor();
    await page.getByRole('button', { name: 'Snel weg' }).click();
    await page.waitForURL('about:blank');
    expect(asked).to.equal(false);
    await page.goBack();
    expect(page.url()).to.equal(`${suite.live.baseUrl}/login`);
    await context.close();
  });
});
