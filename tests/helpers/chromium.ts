import type { LaunchOptions } from '@playwright/test';

/**
 * How the tests and scripts launch Chromium: Debian's build (or CHROMIUM_PATH), headless, with
 * every background network feature off so nothing reaches outside the machine. On a machine with
 * internet, `npx playwright install chromium` and CHROMIUM_PATH pointing at it works too.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run'
  ]
};
