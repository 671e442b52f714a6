// Test support: Firefox ESR from Debian's packages, driven over WebDriver BiDi by puppeteer-core. `npm run setup:test`
// installs it; without it the Firefox tests fail with a message that says so.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = '/usr/bin/firefox-esr';

/** Launches headless Firefox ESR; throws a clear error when it is not installed. */
export async function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`${FIREFOX} is missing: the @avsb/browser tests also run in Firefox ESR; install it with \`npm run setup:test\` (apt-get install firefox-esr)`);
  }
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi' });
}
