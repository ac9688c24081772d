// Issue 13: a Valente plan kept as a team's living document in a real browser. A manager
// (staff account) and a member link (no account) edit one shared record through three
// rounds; a stale save is refused and shows the other's work; each new round starts from
// the last; the dashboard shows what is overdue and every motivation; the printed PDF names
// every action; and the API gives the same data.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { createUser, setupAdmin, Account, PASSWORD } from '../helpers/app';

const ACTIONS = ['1.1', '1.2', '1.3', '2.1', '2.2', '3.1', '3.2', '4.1', '4.2', '5.1', '5.2', '5.3', '5.4', '5.5', '6.1', '6.2', '6.3', '6.4'];

describe('a Valente plan kept by a team through three rounds', function () {
  this.timeout(300000);
  let live: LiveApp;
  let browser: Browser;
  let manager: Account;
  let managerContext: BrowserContext;
  let memberContext: BrowserContext;
  let staff: Page;
  let member: Page;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    const admin = await setupAdmin(live.app);
    manager = await createUser(live.app, admin, { email: 'mt@dehaven.test', role: 'manager' });
    managerContext = await browser.newContext();
    memberContext = await browser.newContext();
    staff = await managerContext.newPage();
    member = await memberContext.newPage();
    await staff.goto(`${live.baseUrl}/login`);
    await staff.fill('#email', 'mt@dehaven.test');
    await staff.fill('#password', PASSWORD);
    await staff.getByRole('button', { name: 'Inloggen' }).click();
    await staff.waitForURL('**/waves');
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  const api = (p: string) => request(live.app).get(p).set('Authorization', `Bearer ${manager.token}`);
  const question = (page: Page, name: string) => page.locator(`[data-name="${name}"]`);
  const choose = (page: Page, name: string, label: string) => question(page, name).getByText(label, { exact: true }).click();
  const type = (page: Page, name: string, text: string) => question(page, name).locator('input, textarea').first().fill(text);
  async function save(page: Page, revision: number) {
    await page.getByTestId('record-save').click();
    await page.getByTestId('record-message').filter({ hasText: `Opgeslagen als versie ${revision}.` }).waitFor({ timeout: 15000 });
  }

  /** A new round through the page form; its member link for Fatima through the wave page. */
  async function newRound(label: string): Promise<{ waveId: string; memberUrl: string }> {
    await staff.goto(`${live.baseUrl}/waves/new`);
    await staff.fill('#label', label);
    await staff.selectOption('#instrument', 'valente-zes-stappen');
    await staff.getByLabel('Als team (één gedeeld dossier, niet anoniem)').check();
    await staff.fill('#series', 'actieplan');
    await staff.getByRole('button', { name: 'Meting aanmaken' }).click();
    await staff.waitForURL(/\/waves\/[0-9a-f-]{36}$/);
    const waveId = staff.url().split('/').pop()!;
    expect(await staff.getByTestId('not-anonymous').textContent()).to.contain('niet anoniem');
    await staff.fill('#names', 'Fatima (coördinator)');
    await staff.getByRole('button', { name: 'Uitnodigingen maken' }).click();
    // The link as the manager sees it on the wave page.
    await staff.goto(`${live.baseUrl}/waves/${waveId}`);
    const memberUrl = (await staff.locator('#inv-title ~ table a[href*="/s/"]').first().getAttribute('href'))!;
    expect(memberUrl.startsWith(`${live.baseUrl}/s/`), memberUrl).to.equal(true);
    return { waveId, memberUrl };
  }

  it('keeps the record, its revisions, the next round, the dashboard, the PDF and the API in step', async () => {
    // ---- Round 1: the manager starts, the member adds a decision, a stale save is refused.
    const round1 = await newRound('Actieplan voorjaar');
    await staff.goto(`${live.baseUrl}/waves/${round1.waveId}/record`);
    expect(await staff.getByTestId('not-anonymous').textContent()).to.contain('niet anoniem');
    await choose(staff, 's1a1_status', 'Gerealiseerd');
    await choose(staff, 's2a1_status', 'Bezig');
    await type(staff, 's2a1_eigenaar', 'Projectleider ervaringsdeskundigheid');
    await type(staff, 's2a1_streefdatum', '2020-03-01');
    await save(staff, 1);

    await member.goto(round1.memberUrl);
    expect(await member.getByTestId('not-anonymous').textContent()).to.contain('niet anoniem');
    await choose(member, 's1a2_besluit', 'Besloten: niet');
    await type(member, 's1a2_motivatie', 'Een 0-meting met de MIE past niet: wij gebruiken de quickscan.');
    await save(member, 2);

    // The manager's page still holds version 1: her save is refused and shows the member's work.
    await choose(staff, 's3a2_status', 'Niet van toepassing');
    await type(staff, 's3a2_reden', 'Middelen zijn al structureel geregeld.');
    await staff.getByTestId('record-save').click();
    await staff.getByTestId('record-message').filter({ hasText: 'Iemand anders heeft dit dossier intussen opgeslagen' }).waitFor({ timeout: 15000 });
    expect(await question(staff, 's1a2_motivatie').locator('textarea').inputValue()).to.contain('MIE past niet');
    await choose(staff, 's3a2_status', 'Niet van toepassing');
    await type(staff, 's3a2_reden', 'Middelen zijn al structureel geregeld.');
    await save(staff, 3);

    await staff.reload();
    const revisions = await staff.getByTestId('revisions').textContent();
    expect(revisions).to.contain('mt@dehaven.test').and.contain('Fatima (coördinator)').and.contain('Actie 1.2 · Besluit');
    expect(await staff.locator('[data-testid^="revision-"]').count()).to.equal(3);

    // ---- Round 2: starts from round 1; the member reports progress, the manager a new due date.
    const round2 = await newRound('Actieplan najaar');
    await staff.goto(`${live.baseUrl}/waves/${round2.waveId}/record`);
    expect(await staff.getByTestId('prefilled').textContent()).to.contain('Actieplan voorjaar');
    expect(await question(staff, 's2a1_eigenaar').locator('input').inputValue()).to.equal('Projectleider ervaringsdeskundigheid');
    await member.goto(round2.memberUrl);
    await choose(member, 's2a1_status', 'Gerealiseerd');
    await choose(member, 's5a1_status', 'In voorbereiding');
    await save(member, 2);
    await staff.reload();
    await type(staff, 's5a1_streefdatum', '2021-06-30');
    await type(staff, 's5a1_notitie', 'Opleiding via de VvEd, offerte gevraagd.');
    await save(staff, 3);

    // ---- Round 3: again from the last record; both edit once more.
    const round3 = await newRound('Actieplan 2027');
    await member.goto(round3.memberUrl);
    expect(await question(member, 's5a1_notitie').locator('textarea').inputValue()).to.contain('VvEd');
    await choose(member, 's6a3_besluit', 'Besloten: niet');
    await type(member, 's6a3_motivatie', 'Registratie vragen we niet: het team werkt met ervaringskennis.');
    await save(member, 2);
    await staff.goto(`${live.baseUrl}/waves/${round3.waveId}/record`);
    await choose(staff, 's1a3_status', 'Gerealiseerd');
    await save(staff, 3);

    // ---- The dashboard of round 3: route, overdue, motivations, reasons, notes, history.
    await staff.goto(`${live.baseUrl}/waves/${round3.waveId}/plan`);
    const dashboard = (await staff.locator('main').textContent())!;
    expect(await staff.getByTestId('overdue').textContent()).to.contain('Actie 5.1').and.not.contain('Actie 2.1');
    expect(await staff.getByTestId('next-actions').textContent()).to.not.contain('Actie 1.1');
    expect(dashboard).to.contain('MIE past niet').and.contain('Registratie vragen we niet')
      .and.contain('Middelen zijn al structureel geregeld.').and.contain('Opleiding via de VvEd');
    expect(dashboard).to.contain('Dit dossier is niet anoniem').and.not.contain('Meest gekozen');
    expect(await staff.getByTestId('current-step').textContent()).to.contain('Stap 2');
    // Progress over time: how the two earlier rounds ended, then this round's saves.
    const overTime = (await staff.getByTestId('over-time').textContent())!;
    expect(overTime.indexOf('Actieplan voorjaar')).to.be.greaterThan(-1).and.lessThan(overTime.indexOf('Actieplan najaar'));

    // What changed since a chosen day: today's three saves of this round, with who and what.
    await staff.fill('#since', '2026-01-01');
    await staff.getByRole('button', { name: 'Tonen' }).click();
    await staff.waitForURL(/since=2026-01-01/);
    const since = (await staff.locator('#since-title ~ table[data-testid="revisions"]').textContent())!;
    expect(since).to.contain('Actie 6.3 · Besluit').and.contain('Fatima (coördinator)').and.contain('overgenomen uit Actieplan najaar');

    // ---- The printed dashboard names every action.
    await staff.emulateMedia({ media: 'print' });
    const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-plan-')), 'actieplan.pdf');
    await staff.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    for (const action of ACTIONS) expect(text, `Actie ${action} in the PDF`).to.contain(`Actie ${action}`);
    expect(text).to.contain('Registratie vragen we niet').and.not.contain('Uitloggen');

    // ---- The API gives the same.
    const plan = (await api(`/api/v1/waves/${round3.waveId}/plan`)).body;
    expect(plan.overdue.map((a: { id: string }) => a.id)).to.deep.equal(['s5a1']);
    expect(plan.reasoning.filter((r: { motivation: string | null }) => r.motivation).map((r: { id: string }) => r.id)).to.deep.equal(['s1a2', 's6a3']);
    const revisionsApi = (await api(`/api/v1/waves/${round3.waveId}/record/revisions`)).body;
    expect(revisionsApi.map((r: { savedBy: { kind: string } }) => r.savedBy.kind)).to.deep.equal(['carried', 'link', 'account']);
  });
});
