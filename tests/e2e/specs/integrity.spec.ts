// Subresource Integrity beyond kudos.js (issue 12, defect 5). The owner pins kudos.js with the
// snippet's hash; the release build chains it on: kudos.js carries the glue's sha256 (it preloads
// the glue with it, and import() takes that verified module), the glue carries the wasm's (the
// loader fetches the wasm with it). A glue or a wasm changed by one byte must not run: the
// failure view shows, as for the loader's other failures. The changes made here are harmless
// (the control test runs them), so only the hashes can be what refuses them.
import { test, expect, type Page, type Route } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collect } from '../helpers';

// `__dirname`: Playwright runs these specs as CommonJS. The dist/ the server serves.
const DIST = path.resolve(__dirname, '../../../dist');
const read = (file: string) => readFileSync(path.join(DIST, file));
const sha256 = (bytes: Buffer) => 'sha256-' + createHash('sha256').update(bytes).digest('base64');
const TITLE = 'Recognize our staff';
const GLUE = /\/kudos-widget\.js$/;
const WASM = /\/kudos-widget_bg\.wasm$/;

/** The glue with its last byte, the newline after the final export, made a space: the same
 * program, other bytes. */
function changedGlue(glue: Buffer): Buffer {
  expect(glue[glue.length - 1]).toBe(0x0a);
  const changed = Buffer.from(glue);
  changed[changed.length - 1] = 0x20;
  return changed;
}

/** The wasm with one letter of a console note (in its data) upper-cased: still a valid module,
 * and the changed note shows when it runs. */
function changedWasm(wasm: Buffer): Buffer {
  const at = wasm.indexOf('demo mode: submissions stay');
  expect(at).toBeGreaterThan(0);
  const changed = Buffer.from(wasm);
  changed[at] = 'D'.charCodeAt(0);
  return changed;
}

/** Serves `body` instead of what the server has for `url`, with the server's own headers. */
async function serve(page: Page, url: RegExp, change: (body: Buffer) => Buffer) {
  await page.route(url, async (route: Route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: change(await response.body()) });
  });
}

/** Counts the requests for the glue and the wasm. */
function countAssets(page: Page) {
  const counts = { glue: 0, wasm: 0 };
  page.on('request', (request) => {
    if (GLUE.test(request.url())) counts.glue++;
    if (WASM.test(request.url())) counts.wasm++;
  });
  return counts;
}

async function expectRefused(page: Page, errors: string[], file: string) {
  const host = page.locator('[data-kudos-widget]');
  await expect(host.getByText('The form could not load.')).toBeVisible();
  await expect(host.getByRole('link', { name: 'Open the form' })).toHaveAttribute('href', 'https://forms.example/kudos');
  await expect(host.getByText('Loading…')).toHaveCount(0);
  await expect(host.locator('form')).toHaveCount(0);
  const ours = errors.filter((e) => e.startsWith('[kudos-widget]'));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toContain('could not load or verify http://127.0.0.1:');
  // The browser's own error names the file and the integrity check.
  expect(errors.filter((e) => e.includes('integrity') && e.includes(file)).length).toBeGreaterThan(0);
}

test('the release build chains the hashes: kudos.js pins the glue, the glue pins the wasm', () => {
  const glue = read('kudos-widget.js');
  expect(read('kudos.js').toString()).toContain(`integrity:"${sha256(glue)}"`);
  expect(glue.toString()).toContain(`export const wasm_sri="${sha256(read('kudos-widget_bg.wasm'))}";`);
});

test('with the files as built the widget runs, and the glue is fetched once: import() takes the verified preload', async ({ page }) => {
  const errors = collect(page);
  const counts = countAssets(page);
  await page.goto('/pages/integrity.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(page.locator('[data-kudos-widget] form')).toHaveCount(1);
  const preload = page.locator('head link[rel="modulepreload"]');
  await expect(preload).toHaveAttribute('integrity', sha256(read('kudos-widget.js')));
  // A second request would be import() fetching the glue on its own, unchecked.
  expect(counts).toEqual({ glue: 1, wasm: 1 });
  expect(errors).toEqual([]);
});

test('a glue changed by one byte does not run: the failure view shows and the wasm is never fetched', async ({ page }) => {
  const errors = collect(page);
  const counts = countAssets(page);
  await serve(page, GLUE, changedGlue);
  await page.goto('/pages/integrity.html');
  await expectRefused(page, errors, 'kudos-widget.js');
  expect(counts).toEqual({ glue: 1, wasm: 0 });
});

test('a wasm changed by one byte does not run: the failure view shows', async ({ page }) => {
  const errors = collect(page);
  await serve(page, WASM, changedWasm);
  await page.goto('/pages/integrity.html');
  await expectRefused(page, errors, 'kudos-widget_bg.wasm');
});

test('control: the same changed glue and wasm run when nothing is pinned, so the hashes are what refuse them', async ({ page }) => {
  const notes: string[] = [];
  page.on('console', (message) => notes.push(message.text()));
  const glueHash = sha256(read('kudos-widget.js'));
  await serve(page, /\/kudos\.js$/, (loader) => {
    expect(loader.toString()).toContain(glueHash);
    return Buffer.from(loader.toString().replace(glueHash, ''));
  });
  await serve(page, GLUE, (glue) =>
    changedGlue(Buffer.from(glue.toString().replace(/wasm_sri="[^"]+"/, 'wasm_sri=""'))));
  await serve(page, WASM, changedWasm);
  await page.goto('/pages/integrity.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(notes.some((note) => note.includes('Demo mode: submissions stay'))).toBe(true);
});
