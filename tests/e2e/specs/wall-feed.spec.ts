// The live wall against the owner's feed (docs/contract.md, "The wall feed"): the release build on
// pages/wall-feed.html reads GET /wall from tests/e2e/endpoint.mjs on another port (a real
// cross-origin request). The paged shape (docs/schema/wall.v1.json) is followed cursor by cursor;
// what the feed cannot be trusted with (size, a bad item, order, a stall) never blanks or freezes
// the host page.
import { test, expect, type Page, type APIRequestContext } from '@playwright/test';

// The endpoint listens 10 ports above the page server (playwright.config.ts).
const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
const ENDPOINT = `http://127.0.0.1:${PAGE_PORT + 10}`;
const UNAVAILABLE = "The praise wall can't be shown right now.";

type Item = { id: string; staff_name: string; story: string; created_at: string; staff_role?: string };

/** Resets the endpoint and scripts its wall feed. */
async function feed(request: APIRequestContext, wall: object) {
  const response = await request.post(`${ENDPOINT}/__control`, { data: { wall } });
  expect(response.ok()).toBe(true);
}

/** The query of each GET /wall the endpoint received. */
async function wallRequests(request: APIRequestContext): Promise<Record<string, string>[]> {
  return (await (await request.get(`${ENDPOINT}/__log`)).json()).wall;
}

/** Items `from`..`to` (exclusive), newest first, one day apart in October 2026. */
function items(from: number, to: number): Item[] {
  const list: Item[] = [];
  for (let n = to - 1; n >= from; n--) {
    list.push({
      id: `w${n}`,
      staff_name: `Staff ${n}`,
      story: `Story number ${n}, long enough to be worth publishing.`,
      created_at: new Date(Date.UTC(2026, 9, 1) + n * 3_600_000).toISOString(),
    });
  }
  return list;
}

/** The console warnings the widget wrote. */
function warnings(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('[kudos-widget]')) seen.push(message.text());
  });
  return seen;
}

const cards = (page: Page) => page.locator('.kudos-card');

test('a paged feed: show more reveals the loaded cards, then follows next_cursor', async ({ page, request }) => {
  const cursor = 'page 2/+=&ü';
  await feed(request, {
    pages: {
      '': { schema_version: 1, items: items(5, 17), next_cursor: cursor },
      [cursor]: { schema_version: 1, items: items(0, 5), next_cursor: null },
    },
  });
  await page.goto('/pages/wall-feed.html');
  await expect(cards(page)).toHaveCount(10);
  await expect(cards(page).first()).toContainText('Staff 16');
  await expect(page.locator('.kudos-wall-count')).toHaveText('Showing 10 of 12');

  // The two cards already loaded come first, with no request.
  const more = page.getByRole('button', { name: 'Show more praise' });
  await more.click();
  await expect(cards(page)).toHaveCount(12);
  expect(await wallRequests(request)).toHaveLength(1);

  // Then the next page, at the cursor, keeping the owner's own query parameters.
  await more.click();
  await expect(cards(page)).toHaveCount(17);
  await expect(cards(page).last()).toContainText('Staff 0');
  const [first, second] = await wallRequests(request);
  expect(first).toEqual({ location: 'Harbour Road', limit: '12' });
  expect(second).toEqual({ location: 'Harbour Road', limit: '12', cursor });
  // The last page has no cursor: nothing more to show.
  await expect(page.getByRole('button', { name: 'Show more praise' })).toHaveCount(0);
});

test('a bare array still works, and one unreadable item is skipped, not the wall', async ({ page, request }) => {
  const seen = warnings(page);
  const list: unknown[] = items(0, 4);
  list.splice(2, 0, { id: 'bad', staff_name: 'Nobody', story: 42, created_at: '2026-10-09T00:00:00Z' });
  await feed(request, { pages: { '': list } });
  await page.goto('/pages/wall-feed.html');
  await expect(cards(page)).toHaveCount(4);
  await expect(cards(page).first()).toContainText('Staff 3');
  await expect(page.getByText('Nobody')).toHaveCount(0);
  await expect.poll(() => seen.join('\n')).toContain('1 wall item(s) could not be read');
});

test('a 10 MB feed is refused unread, with or without Content-Length, and the page stays responsive', async ({ page, request }) => {
  for (const chunked of [false, true]) {
    const seen = warnings(page);
    await feed(request, { bytes: 10_000_000, chunked });
    const started = Date.now();
    await page.goto('/pages/wall-feed.html');
    await expect(page.getByText(UNAVAILABLE)).toBeVisible({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => seen.join('\n')).toContain('over the 1000000-byte limit');
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
  }
});

// How long these feeds hold the page (the longest task) is a figure of `cargo xtask bench`
// (BENCHMARKS.md), not an assertion here: a loaded machine would fail it for nothing.
test('30,000 items out of order: over the byte cap, refused with a warning, the wall unavailable', async ({ page, request }) => {
  const seen = warnings(page);
  // Held, so the loading state is seen before the feed arrives.
  await feed(request, { generate: { count: 30_000 }, hold: 'headers' });
  await page.goto('/pages/wall-feed.html');
  await expect(page.getByText('Loading praise…')).toBeVisible();
  await request.post(`${ENDPOINT}/__release`);
  await expect(page.getByText(UNAVAILABLE)).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => seen.join('\n')).toContain('over the 1000000-byte limit');
  await expect(cards(page)).toHaveCount(0);
});

test('the largest feed the caps let in, out of order, renders newest first and keeps 1,000', async ({ page, request }) => {
  // As many of the 30,000 scattered items as fit in the 1 MB cap (about 8,000).
  await feed(request, { generate: { count: 30_000, maxBytes: 1_000_000 }, hold: 'headers' });
  await page.goto('/pages/wall-feed.html');
  await expect(page.getByText('Loading praise…')).toBeVisible();
  await request.post(`${ENDPOINT}/__release`);
  await expect(cards(page)).toHaveCount(10, { timeout: 10_000 });
  // Generated item n is n minutes after the first, and the feed lists them scattered, (i × 7919)
  // mod 30,000 at place i: the newest shown are the largest n among the items that fitted.
  const [generated] = (await (await request.get(`${ENDPOINT}/__log`)).json()).generated;
  expect(generated.bytes).toBeLessThanOrEqual(1_000_000);
  expect(generated.items).toBeGreaterThan(5_000);
  const served = Array.from({ length: generated.items }, (_, i) => (i * 7919) % 30_000).sort((a, b) => b - a);
  await expect(cards(page).first()).toContainText(`Staff ${served[0]}`);
  await expect(cards(page).nth(9)).toContainText(`Staff ${served[9]}`);
  // At most 1,000 are kept.
  await expect(page.locator('.kudos-wall-count')).toHaveText('Showing 10 of 1000');
});

test('a stalled feed ends as unavailable after the timeout, before or after its headers', async ({ page, request }) => {
  for (const hold of ['headers', 'body']) {
    const seen = warnings(page);
    await feed(request, { generate: { count: 100 }, hold });
    await page.goto('/pages/wall-feed.html');
    await expect(page.getByText('Loading praise…')).toBeVisible();
    // data-timeout-ms="1500" on the page: the request is aborted, never left hanging.
    await expect(page.getByText(UNAVAILABLE)).toBeVisible({ timeout: 8_000 });
    await expect.poll(() => seen.join('\n')).toMatch(/GET .*\/wall.*(TimeoutError|AbortError|signal timed out)/i);
  }
  await request.post(`${ENDPOINT}/__release`);
});
