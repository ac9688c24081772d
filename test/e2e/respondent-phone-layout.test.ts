// The respondent page on a 360-px phone, checked as a person would look at it: titles
// whole, the way out not over the title, progress that does not jump, and a number that
// can be tapped.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { liveRespondentSuite, PHONE } from './browser';
import { createWave } from '../helpers/app';


async function overflowingTitles(page: Page): Promise<string[]> {
  // Every title lies within the screen; the survey's and the pages' own headings (long Dutch
  // compounds) also fit their box rather than run out of it.
  return page.locator('.sd-title, .sd-html h3, .sd-header__text').evaluateAll((els) => els
    .filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null)
    .filter((e) => {
      // Where the text itself is drawn: a centred line wider than its box runs off both sides.
      const range = (globalThis as unknown as { document: { createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): { left: number; right: number } } } }).document.createRange();
      range.selectNodeContents(e);
      const text = range.getBoundingClientRect();
      const box = e.getBoundingClientRect();
      return text.left < 0 || text.right > 360 || box.left < 0 || box.right > 360;
    })
    .map((e) => (e.textContent ?? '').trim().slice(0, 60)));
}

describe('the respondent page on a 360-px phone', function () {
  this.timeout(120000);
  const suite = liveRespondentSuite();

  for (const instrument of ['weerman-organisatiescan', 'valente-zes-stappen', 'tno-quickscan']) {
    it(`shows the ${instrument} titles whole, below the exit bar`, async () => {
      const wave = await createWave(suite.live.app, suite.admin, { instrument });
      const context = await suite.browser.newContext(PHONE);
      const page = await context.newPage();
      await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
      await page.locator('[data-name]').first().waitFor();
      expect(await overflowingTitles(page)).to.deep.equal([]);
      // Nothing is wider than the phone (on a phone a wider page is shrunk or cut off at the sides).
      expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(360);
      const bar = (await page.locator('.exit-bar').boundingBox())!;
      const title = (await page.locator('.sd-title').first().boundingBox())!;
      expect(title.y).to.be.at.least(bar.y + bar.height);
      await context.close();
    });
  }

  it('counts pages without a total that jumps as routing reveals pages', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    await page.locator('[data-name="a_intro"]').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).to.contain('Pagina 1');
    expect(text).not.to.match(/Pagina \d+ van \d+/);
    expect(await page.locator('.sd-progress-buttons__list-container').isVisible()).to.equal(false);
    await context.close();
  });

  it('makes the Veilig Thuis number a tel: link', async () => {
    const wave = await createWave(suite.live.app, suite.admin);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${suite.live.baseUrl}/s/${wave.token}`);
    const link = page.locator('#support a[href="tel:08002000"]');
    expect(await link.innerText()).to.equal('0800-2000');
    expect(await link.isVisible()).to.equal(true);
    await context.close();
  });
});
