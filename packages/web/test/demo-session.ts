import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { loginAs } from './console-actions.ts';
import { startDemo, type DemoProcess } from './demo-process.ts';

/** A running demo and a browser, for one suite; `errors` collects what the browser logged. */
export interface DemoSession {
  readonly demo: DemoProcess;
  readonly browser: Browser;
  readonly errors: string[];
  /** A new browser context logged in as `<party>-<role>` on that party's gateway, in the browser language `locale`. */
  login(party: 'us' | 'ru', role: string, locale?: string): Promise<Page>;
}

/**
 * Starts `evenhand demo` in a temporary directory and launches Chromium before the suite's
 * tests, and closes both after them. Call it inside `describe`.
 */
export function useDemoSession(prefix: string): DemoSession {
  let dir = '';
  let demo: DemoProcess | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    demo = await startDemo(join(dir, 'demo'));
    browser = await launch();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await demo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get demo() {
      return demo!;
    },
    get browser() {
      return browser!;
    },
    errors,
    login: (party, role, locale) => loginAs(browser!, party === 'us' ? demo!.us : demo!.ru, `${party}-${role}`, demo!.logins[`${party}-${role}`]!, errors, locale),
  };
}
