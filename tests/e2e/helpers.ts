// What several specs share: the one accessibility bar (axe-core with the WCAG 2.2 AA tag set)
// and collecting what a page writes to the console.
import { expect, type Page, type ConsoleMessage } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The rules every page and state is held to: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Fails with each violation's rule and elements, prefixed by `where` (a state or a page). */
export async function expectNoAxeViolations(page: Page, where = '') {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map(
    (v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

/** Collects console messages of one type, and uncaught exceptions with errors. */
export function collect(page: Page, type: 'error' | 'warning' = 'error'): string[] {
  const messages: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === type) messages.push(message.text());
  });
  if (type === 'error') page.on('pageerror', (error) => messages.push(String(error)));
  return messages;
}

/**
 * Stops a server a spec started and waits until it has exited, so its port is free again: when a
 * test fails, Playwright starts a new worker whose `beforeAll` binds the same port at once.
 */
export async function stopProcess(child: import('node:child_process').ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill();
  await exited;
}
