import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it); a downloaded browser is never used. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags this closed network needs (reference/stack.md §7, env/machines/node.md): without
 * the background-networking ones Chromium keeps dialling Google's hosts and gets refused.
 * No --user-data-dir: Playwright makes its own temporary profile, and throws if given one.
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is absent (apt-get install -y chromium)`;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/**
 * Collects what the page reports as errors: console errors and uncaught exceptions. Answers
 * the page itself asked for and got a 4xx for (a refused action, a draft of another state)
 * are part of the flow, so the browser's own "Failed to load resource" lines for them are
 * kept apart and only reported, not counted.
 */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
}
