// A facilitator runs a positioning workshop in a real browser: the long list and criteria of
// the handleiding, screening to a shortlist, four participants scoring on their own links,
// the plenary view with the group's weights, the preferred scenario and the printed report.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { createUser, PASSWORD, setupAdmin } from '../helpers/app';

const AXE = require.resolve('axe-core/axe.min.js');

/** WCAG 2.1 AA violations that axe calls serious or critical (as in accessibility.test.ts). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)`)) as
    Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe('a positioning workshop from long list to printed preferred scenario', function () {
  this.timeout(240000);
  let live: LiveApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    const admin = await setupAdmin(live.app);
    await createUser(live.app, admin, { email: 'regie@gemeente.test', role: 'manager', organisationId: admin.user.organisationId });
    // CSP bypassed only so that axe can be injected; nothing else on the pages needs it.
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('goes from the long list to a PDF of the preferred scenario with four participants', async () => {
    await page.goto(`${live.baseUrl}/login`);
    await page.fill('#email', 'regie@gemeente.test');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('link', { name: 'Werkateliers' }).click();
    await page.fill('#title', 'De Cirkel is Rond');
    await page.fill('#purpose', 'Inzet van ervaringsdeskundigen bij casuïstiek door de hele keten');
    await page.getByRole('button', { name: 'Werkatelier aanmaken' }).click();

    // Typed in a hurry: a misspelt option and one too many, put right below.
    for (const name of ['Veilig Thuis', 'Zelfstandig centrum ervaringsdeskundigheid', 'Lokaal wijkteeam', 'Samenwerkingsverband', 'Dubbel ingevoerd']) {
      await page.fill('#option-name', name);
      await page.getByRole('button', { name: 'Positie toevoegen' }).click();
    }
    // Systemisch werken first entered as a precondition, then marked knock-out.
    const criteria: Array<[string, string]> = [
      ['Systemisch werken', 'Randvoorwaarde'], ['Draagvlak en commitment', 'Randvoorwaarde'],
      ['Instroom casuïstiek', 'Onderscheidend criterium'], ['Inzet in de hele keten', 'Onderscheidend criterium'],
      ['Samenwerking professional en ervaringsdeskundige', 'Onderscheidend criterium'],
    ];
    for (const [name, kind] of criteria) {
      await page.fill('#criterion-name', name);
      await page.selectOption('#criterion-kind', { label: kind });
      await page.getByRole('button', { name: 'Criterium toevoegen' }).click();
    }
    await page.getByText('Lokaal wijkteeam wijzigen').click();
    const typo = page.locator('details', { hasText: 'Lokaal wijkteeam wijzigen' });
    await typo.getByLabel('Naam').fill('Lokaal wijkteam');
    await typo.getByLabel('Toelichting').fill('Sociaal wijkteam van de gemeente');
    await typo.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Dubbel ingevoerd wijzigen').click();
    await page.getByRole('button', { name: 'Dubbel ingevoerd verwijderen' }).click();
    await page.getByText('Systemisch werken wijzigen').click();
    await page.locator('details', { hasText: 'Systemisch werken wijzigen' }).getByLabel('Soort criterium').selectOption({ label: 'Knock-outcriterium' });
    await page.locator('details', { hasText: 'Systemisch werken wijzigen' }).getByRole('button', { name: 'Opslaan' }).click();
    expect(await page.locator('#long-list > li > strong').allTextContents())
      .to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum ervaringsdeskundigheid', 'Lokaal wijkteam', 'Samenwerkingsverband']);
    expect(await page.locator('#criteria tbody tr').first().textContent()).to.contain('Systemisch werken').and.contain('Knock-outcriterium');
    await page.getByLabel('Reden: Lokaal wijkteam, Systemisch werken').fill('Werkgebied te lokaal');
    await page.getByRole('button', { name: 'Selectie opslaan' }).click();
    expect(await page.locator('#shortlist li').allTextContents()).to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum ervaringsdeskundigheid', 'Samenwerkingsverband']);
    expect(await page.locator('#long-list').textContent()).to.contain('Valt af: Systemisch werken (Werkgebied te lokaal)');

    await page.fill('#count', '4');
    await page.getByRole('button', { name: 'Links maken' }).click();
    await page.getByRole('button', { name: 'Beoordeling openen' }).click();
    const links = await page.locator('#links a').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(links).to.have.length(4);
    expect(await seriousViolations(page), 'facilitator page').to.deep.equal([]);

    // Each participant in a browser of her own (no shared cookies), choosing per cell.
    const choices = [
      ['goed (+)', 'matig (+/-)', 'goed (+)', 'slecht (-)', 'goed (+)', 'goed (+)', 'matig (+/-)', 'matig (+/-)', 'matig (+/-)'],
      ['goed (+)', 'matig (+/-)', 'slecht (-)', 'matig (+/-)', 'goed (+)', 'goed (+)', 'matig (+/-)', 'slecht (-)', 'matig (+/-)'],
      ['goed (+)', 'goed (+)', 'goed (+)', 'slecht (-)', 'goed (+)', 'matig (+/-)', 'matig (+/-)', 'matig (+/-)', 'goed (+)'],
      ['goed (+)', 'matig (+/-)', 'matig (+/-)', 'slecht (-)', 'goed (+)', 'goed (+)', 'slecht (-)', 'matig (+/-)', 'matig (+/-)'],
    ];
    for (const [p, link] of links.entries()) {
      const context = await browser.newContext({ bypassCSP: true });
      const participant = await context.newPage();
      await participant.goto(link);
      if (p === 0) expect(await seriousViolations(participant), 'participant page').to.deep.equal([]);
      const cells = participant.locator('fieldset.workshop-cell');
      expect(await cells.count()).to.equal(9);
      for (let i = 0; i < 9; i++) await cells.nth(i).getByLabel(choices[p][i]).check();
      if (p === 2) await cells.nth(3).getByLabel('Opmerking').fill('Geen eigen instroom van cases');
      await participant.getByRole('button', { name: 'Beoordeling insturen' }).click();
      await participant.locator('#thanks').waitFor();
      await context.close();
    }

    await page.reload();
    expect(await page.locator('#participants').textContent()).to.contain('4 van 4');
    await page.getByRole('button', { name: 'Beoordeling sluiten en plenair bespreken' }).click();
    await page.getByRole('link', { name: 'Naar de plenaire weergave' }).click();
    expect(await page.locator('#plenary-n').textContent()).to.contain('4 deelnemers');
    expect(await page.locator('#disagreements').textContent()).to.contain('Veilig Thuis · Samenwerking');
    // Equal weights: Veilig Thuis 4 + 1 + 1 = 6, the centre -3 + 4 + 3 = 4, the partnership -1 - 1 + 1 = -1.
    expect(await page.locator('#ranking-equal tbody tr').first().textContent()).to.contain('Veilig Thuis');
    expect(await page.locator('#sensitivity').textContent()).to.contain('Eerste plaats: Veilig Thuis');
    expect(await seriousViolations(page), 'plenary page').to.deep.equal([]);

    // Reopened (as if someone had not sent yet): the plenary view says so; closed again with nobody new.
    await page.goto(`${live.baseUrl}${new URL(page.url()).pathname.replace(/\/plenary$/, '')}`);
    await page.getByRole('button', { name: 'Beoordeling heropenen' }).click();
    expect(await page.locator('#reopened').textContent()).to.contain('heropend na een plenaire bespreking met 4 deelnemers');
    await page.goto(`${page.url()}/plenary`);
    expect(await page.locator('#plenary-waiting').textContent()).to.contain('De beoordeling is heropend');
    await page.goBack();
    await page.getByRole('button', { name: 'Beoordeling sluiten en plenair bespreken' }).click();
    await page.getByRole('link', { name: 'Naar de plenaire weergave' }).click();
    expect(await page.locator('#plenary-n').textContent()).to.contain('4 deelnemers');

    await page.fill('[id="w.' + await criterionId(page, 'Instroom casuïstiek') + '"]', '3');
    await page.fill('[id="w.' + await criterionId(page, 'Inzet in de hele keten') + '"]', '2');
    await page.getByRole('button', { name: 'Gewichten vaststellen' }).click();
    await page.locator('#ranking-weighted').waitFor();
    await page.selectOption('#optionId', { label: 'Veilig Thuis' });
    await page.fill('#reasons', 'De instroom van casuïstiek is geborgd en de lijnen met professionals zijn kort.');
    await page.fill('#pros', 'Inzet door de hele keten.');
    await page.fill('#cons', 'Een minder neutraal imago bij cliënten.');
    await page.fill('#nextSteps', 'Werkafspraken over de flexpool maken.');
    await page.getByRole('button', { name: 'Voorkeursscenario opslaan' }).click();
    await page.waitForURL('**/report');
    expect(await seriousViolations(page), 'report').to.deep.equal([]);

    await page.emulateMedia({ media: 'print' });
    const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-workshop-')), 'voorkeursscenario.pdf');
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    expect(fs.readFileSync(pdfFile).subarray(0, 5).toString()).to.equal('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    // The whole route: long list, what dropped off and why, the shortlist, the scores, the
    // weights, the sensitivity, and the preferred scenario with reasons, pros, cons and next steps.
    expect(text).to.contain('Verslag: naar een voorkeursscenario').and.contain('De Cirkel is Rond')
      .and.contain('Groslijst van mogelijke posities').and.contain('Zelfstandig centrum ervaringsdeskundigheid: Shortlist')
      .and.contain('Samenwerkingsverband: Shortlist')
      .and.contain('Lokaal wijkteam: Valt af (Systemisch werken: Werkgebied te lokaal)')
      .and.contain('Verdeling per positie en criterium')
      .and.contain('Instroom casuïstiek: 3 · Inzet in de hele keten: 2 · Samenwerking professional en ervaringsdeskundige: 1')
      .and.contain('De instroom van casuïstiek is geborgd en de lijnen met professionals zijn kort.')
      .and.contain('Inzet door de hele keten.')
      .and.contain('Rangorde bij de gewichten van de groep').and.contain('Gevoeligheid van de eerste plaats')
      .and.contain('Geen eigen instroom van cases')
      .and.contain('Voorkeursscenario Veilig Thuis')
      .and.contain('Een minder neutraal imago bij cliënten.').and.contain('Werkafspraken over de flexpool maken.');
    // The matrix's cells, read in order rather than laid out (a narrow column wraps a cell):
    // everyone scored Veilig Thuis goed on instroom; the centre's - 3 there.
    const cells = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(cells).to.contain('- 0 · +/- 0 · + 4').and.contain('- 3 · +/- 1 · + 0');
    expect(text).to.not.contain('Uitloggen').and.not.contain('Voorkeursscenario opslaan');
  });
});

async function criterionId(page: Page, name: string): Promise<string> {
  const label = page.locator('#weights label', { hasText: name });
  return String(await label.getAttribute('for')).slice(2);
}
