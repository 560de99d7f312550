/**
 * One way to start the headless browser the browser tests use: Debian's Chromium (no browser
 * download is possible here), driven by playwright-core. The flags keep Chromium off the network:
 * on a closed machine its background services otherwise fail, many connections at a time.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Where `.ci/run` installs Chromium (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env.LOSSGRAD_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium, or throws a message saying how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set LOSSGRAD_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}
