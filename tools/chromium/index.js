// Debian's Chromium (apt-get install chromium) driven by playwright-core: the one place its path and
// launch flags live, for the site's browser tests, the bench and browser-check. Never a browser download.
// Plain JavaScript with a .d.ts beside it, so node:test files (.mjs) and TypeScript both import it unbuilt.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, no sandbox (containers), no GPU, and nothing that phones home: no QUIC, no first-run page,
 * no background networking, component updates or sync. The tests assert there is no off-origin request;
 * these flags keep Chromium itself from making one.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Launches Debian's Chromium with {@link CHROMIUM_ARGS} plus `args`; says how to get it when it is missing. */
export function launchChromium({ args = [] } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH (bash .ci/run does this).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
}
