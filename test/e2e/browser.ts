// A real Chromium (Debian's) driven by playwright-core, and the real app listening on a
// random local port. No browser is ever downloaded.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, Browser } from 'playwright-core';
import { createTestApp, TestApp, setupAdmin, Account } from '../helpers/app';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

export interface LiveApp extends TestApp {
  baseUrl: string;
  server: Server;
}

export async function startLiveApp(env: Record<string, string> = {}): Promise<LiveApp> {
  const t = await createTestApp(env);
  const server = await new Promise<Server>((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...t, server, baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** A respondent's phone: the viewport the checks are made on, with touch. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

export interface LiveSuite {
  live: LiveApp;
  browser: Browser;
  admin: Account;
}

/**
 * A live app (the quick exit going to a blank page), a browser and a signed-up admin for the
 * suite it is called in: started before its tests, closed after them.
 */
export function liveRespondentSuite(): LiveSuite {
  const suite = {} as LiveSuite;
  before(async () => {
    suite.live = await startLiveApp({ QUICK_EXIT_URL: 'about:blank' });
    suite.browser = await launchBrowser();
    suite.admin = await setupAdmin(suite.live.app);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.live?.close();
  });
  return suite;
}
