import type { Page } from '@playwright/test';

/**
 * Collects what must never happen on a page: uncaught errors, console errors (except those
 * `ignore` matches) and dialogs (dismissed, so an injected alert() cannot hang the test).
 */
export function watchErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(ignore && ignore.test(msg.text()))) errors.push(msg.text());
  });
  page.on('dialog', (d) => {
    errors.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}
