// The network benchmark in a real browser: six organisations of a network with closed waves
// opt in (the sixth from its wave's page), and the network account and a manager see the
// benchmark; one organisation opts out from its wave's page, and both then see exactly what
// they saw before anyone joined (five of six, set beside the six shown, would single one out).
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLiveApp, LiveApp } from './browser';
import { PASSWORD, setupAdmin } from '../helpers/app';
import { buildNetwork, optIn, NetworkFixture } from '../helpers/network';

const INSTRUMENT = 'weerman-organisatiescan';

describe('the network benchmark in the browser', function () {
  this.timeout(240000);
  let live: LiveApp;
  let browser: Browser;
  let net: NetworkFixture;

  before(async () => {
    live = await startLiveApp();
    browser = await launchBrowser();
    const admin = await setupAdmin(live.app);
    net = await buildNetwork(live.app, admin, {
      name: 'Landelijk Netwerk Vrouwenopvang', organisations: 6, instrument: INSTRUMENT, prefix: 'lnv',
      answers: (i, r) => ({ w01_is: (i + r) % 5, w01_wens: 4, w02_is: i < 3 ? 0 : 3, w02_wens: 3 }),
    });
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  /** A person in a browser of her own (no shared cookies), logged in through the form. */
  async function loggedIn(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${live.baseUrl}/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
    return page;
  }

  /** Every item of the page as it reads: its title and what is shown of it. */
  const items = (page: Page) => page.locator('[data-testid="benchmark-item"]').allInnerTexts();
  const item = (page: Page, name: string) => page.locator(`[data-testid="benchmark-item"][data-name="${name}"]`);

  it('shows six organisations\' benchmark to the network account and a manager, and with five the same as no benchmark', async () => {
    // The network account starts at its network and reads the benchmark of the instrument.
    const network = await loggedIn(net.networkEmail);
    expect(new URL(network.url()).pathname).to.equal(`/networks/${net.networkId}`);
    expect(await network.getByTestId('member-count').textContent()).to.equal('6');
    expect(await network.getByRole('link', { name: 'Metingen' }).count()).to.equal(0);
    await network.getByRole('link', { name: 'Organisatiescan Ervaringsdeskundigheid' }).click();
    const before = await items(network);
    expect(before.length).to.be.greaterThan(10);
    expect(await network.locator('[data-testid="benchmark-item"][data-shown="true"]').count()).to.equal(0);

    // Five join through the API; the sixth's manager from the wave's page.
    const [first, , , , , last] = net.members;
    for (const m of net.members.slice(0, 5)) await optIn(live.app, m, net.networkId);
    const manager = await loggedIn('manager6@lnv.test');
    await manager.goto(`${live.baseUrl}/waves/${last.waveId}`);
    expect(await manager.getByTestId('benchmark-not-joined').count()).to.equal(1);
    await manager.getByRole('button', { name: 'Meedoen' }).click();
    expect(await manager.getByTestId('benchmark-joined').textContent()).to.contain('Landelijk Netwerk Vrouwenopvang');
    await manager.getByRole('link', { name: 'Bekijk de netwerkbenchmark' }).click();
    // Own result beside the other five, with the test and the quartile; the tab is on the dashboard.
    expect(await manager.getByTestId('benchmark-tab').getAttribute('aria-current')).to.equal('page');
    const w02 = item(manager, 'w02_is');
    expect(await w02.getAttribute('data-shown')).to.equal('true');
    expect(await w02.getByTestId('organisations').textContent()).to.equal('5');
    expect(await w02.getByTestId('benchmark-test').textContent()).to.contain('niet significant');
    expect(await w02.getByTestId('benchmark-quartile').textContent()).to.contain('hoogste kwart');
    expect(await w02.locator('table').innerText()).to.contain('Je organisatie');

    await network.reload();
    const w01 = item(network, 'w01_is');
    expect(await w01.getAttribute('data-shown')).to.equal('true');
    expect(await w01.getByTestId('organisations').textContent()).to.equal('6');
    expect(await w01.locator('table').innerText()).to.contain('n = 18');
    const shownText = await network.locator('main').innerText();
    for (const m of net.members) expect(shownText).not.to.contain(m.organisationId);
    expect(shownText).not.to.contain('opvang 1');

    // The first organisation opts out from its wave's page: five are left.
    const leaving = await loggedIn('manager1@lnv.test');
    await leaving.goto(`${live.baseUrl}/waves/${first.waveId}`);
    await leaving.getByRole('button', { name: 'Niet meer meedoen' }).click();
    expect(await leaving.getByTestId('benchmark-not-joined').count()).to.equal(1);

    await network.reload();
    expect(await items(network)).to.deep.equal(before);
    await manager.reload();
    expect(await items(manager)).to.deep.equal(before);
  });
});
