// The owner's pages of kudos-server in a real browser: every page at 0 axe-core violations (WCAG
// 2.0/2.1/2.2 A and AA) in light and dark, in English and Canadian French; and the whole job done
// with the keyboard alone (sign in, approve one praise with Tab and Enter). The real binary on
// SQLite, 21 ports above the page server (receiver.spec.ts takes 20), an account made with
// `kudos-server admin add`, praise posted as the widget posts it, the roster imported from CSV.
// The binary is the one `cargo xtask test` built for the server layer (target/debug/kudos-server).
import { test, expect, request, type Page, type APIRequestContext } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectNoAxeViolations, stopProcess } from '../helpers';

const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
const PORT = PAGE_PORT + 21;
const BASE = `http://127.0.0.1:${PORT}`;
const ORIGIN = `http://127.0.0.1:${PAGE_PORT}`;
const BINARY = path.join(__dirname, '../../../target/debug/kudos-server');
const EMAIL = 'owner@shop.example';
const PASSWORD = 'a long passphrase for the owner';
let server: ChildProcess;
let database: string;
let folder: string;

function cli(...args: string[]): string {
  return execFileSync(BINARY, [...args, '--database-url', database], { encoding: 'utf8' });
}

/** `admin add` → the path and query of its one-time link. */
function newLink(): string {
  const out = cli('admin', 'add', EMAIL, '--public-url', BASE);
  const link = out.split('\n').find((line) => line.includes('/owner/set-password?token='));
  if (!link) throw new Error(`no link in ${out}`);
  return link.trim().slice(BASE.length);
}

function csrfOf(html: string): string {
  const match = html.match(/name="csrf" value="([^"]+)"/);
  if (!match) throw new Error('no CSRF field');
  return match[1];
}

function praise(staff: string, story: string, location = 'Larch Street') {
  return {
    type: 'staff_recognition.submitted',
    schema_version: 1,
    id: crypto.randomUUID(),
    created_at: new Date().toISOString(),
    site: { url: 'https://shop.example/thanks', title: 'Thank our team', language: 'en' },
    data: {
      staff_name: staff,
      location,
      occurred_on: '2026-11-24',
      part_of_day: 'afternoon',
      story,
      tags: ['genuine_warmth'],
      visitor_name: 'Ana',
      visitor_email: 'ana@example.net',
    },
    consent: {
      publish: { granted: true, version: 'praise-publish-2026-11' },
      contact: { granted: false, version: 'praise-contact-2026-11' },
    },
    signals: { honeypot: '', fill_time_ms: 48210, attempt: 1 },
    widget_version: '0.1.0',
  };
}

async function submit(api: APIRequestContext, envelope: ReturnType<typeof praise>) {
  const response = await api.post(`${BASE}/v1/submissions`, {
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    data: JSON.stringify(envelope),
  });
  expect(response.status()).toBe(202);
  return envelope.id;
}

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'kudos-owner-e2e-'));
  database = `sqlite://${path.join(folder, 'kudos.db')}`;
  const roster = path.join(folder, 'staff.csv');
  writeFileSync(
    roster,
    'id,name,role,location,nicknames,email,manager_email,wants_email\n' +
      'm-204,Maribel Ortiz,Cashier,Larch Street,Mari,maribel@shop.example,lead@shop.example,yes\n' +
      'd-7,Dev Anand,Stock,Harbour Road,,,lead@shop.example,no\n',
  );
  cli('staff', 'import', roster);
  server = spawn(
    BINARY,
    [
      'serve', '--listen', `127.0.0.1:${PORT}`, '--database-url', database, '--data-dir', folder,
      '--allowed-origin', ORIGIN, '--public-url', BASE,
      // The delivery log has something to show: the server's own address answers this path with
      // 404, a permanent refusal, so each delivery is kept failed with its Retry now button (a
      // delivery being retried has none for that moment: a page check would race it).
      '--webhook-url', `${BASE}/kudos-hook`,
      '--webhook-secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      // The QR posters open this page.
      '--praise-page-url', 'https://shop.example/thanks',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`kudos-server exited with ${code}`)));
    server.stdout!.once('data', () => resolve());
  });

  // The password, set through the one-time link as a person would (its form, its token).
  const api = await request.newContext({ baseURL: BASE });
  const link = newLink();
  const form = await (await api.get(link)).text();
  const done = await api.post('/owner/set-password', {
    form: { csrf: csrfOf(form), token: link.split('token=')[1], password: PASSWORD, confirm: PASSWORD },
    maxRedirects: 0,
  });
  expect(done.status()).toBe(303);

  // Something in every tab.
  await submit(api, praise('Maribel Ortiz', 'She repacked my groceries so nothing got crushed, and smiled the whole time.'));
  await submit(api, praise('Dev', 'He carried the heavy bags to our car in the pouring rain.', 'Harbour Road'));
  const approved = await submit(api, praise('Maribel Ortiz', 'She found my lost glasses in the cart return and kept them safe.'));
  const rejected = await submit(api, praise('Dev', 'Great store, I bought everything I needed for the party.'));
  cli('praise', 'approve', approved);
  cli('praise', 'reject', rejected);
  const spam = praise('Dev', 'Buy cheap watches at this address, best prices guaranteed.');
  spam.signals.honeypot = 'http://spam.example';
  await submit(api, spam);
  await api.dispose();
});

test.afterAll(async () => {
  await stopProcess(server);
});

async function signIn(page: Page) {
  await page.goto(`${BASE}/owner/sign-in`);
  await page.locator('#email').fill(EMAIL);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form[action="/owner/sign-in"] button[type="submit"]').click();
  await expect(page).toHaveURL(/\/owner\/moderation$/);
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'fr-CA'] as const) {
    test(`every owner page has no axe violations (${colorScheme}, ${language})`, async ({ browser }) => {
      // A dozen pages, each loaded and scanned by axe: on a loaded 2-core machine that can pass the
      // default 30 s. A bound against hanging, not a speed check.
      test.setTimeout(120_000);
      const context = await browser.newContext({
        colorScheme,
        // The browser's language is what sends Accept-Language (a header set by hand is replaced).
        locale: language,
      });
      const page = await context.newPage();
      const check = async (url: string, where: string) => {
        await page.goto(url.startsWith('http') ? url : `${BASE}${url}`);
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        await expectNoAxeViolations(page, `${where} (${colorScheme}, ${language})`);
      };
      await check(newLink(), 'set password');
      await check('/owner/set-password?token=used-or-expired', 'set password, link gone');
      await check('/owner/sign-in', 'sign in');
      // A refused sign-in shows its message in the form.
      await page.locator('#email').fill(EMAIL);
      await page.locator('#password').fill('not the password at all');
      await page.locator('form[action="/owner/sign-in"] button[type="submit"]').click();
      await expect(page.getByRole('alert')).toBeVisible();
      await expectNoAxeViolations(page, `sign in, refused (${colorScheme}, ${language})`);

      await signIn(page);
      for (const status of ['pending', 'approved', 'rejected', 'spam']) {
        await check(`/owner/moderation?status=${status}`, `moderation ${status}`);
      }
      await page.goto(`${BASE}/owner/moderation?status=pending`);
      const fix = page.locator('a[href^="/owner/moderation/edit"]').first();
      await check((await fix.getAttribute('href'))!, 'fix the text');
      await check('/owner/staff', 'staff');
      await check('/owner/staff/edit?site=default', 'staff, new');
      await check('/owner/staff/edit?site=default&id=m-204', 'staff, edit');
      await check('/owner/stats', 'statistics');
      await check('/owner/stats?weeks=52', 'statistics, 52 weeks');
      // The chart is an image with a text alternative, and the numbers are in tables.
      await expect(page.locator('svg[role="img"] title')).toHaveCount(1);
      await expect(page.locator('table')).toHaveCount(2);
      // Webhooks: the delivery log (failed attempts, each delivery's Retry now).
      await expect
        .poll(async () => (await (await page.request.get(`${BASE}/owner/deliveries`)).text()).match(/HTTP 404/g)?.length ?? 0)
        .toBeGreaterThanOrEqual(5);
      await check('/owner/deliveries', 'delivery log');
      await expect(page.locator('button', { hasText: language === 'en' ? 'Retry now' : 'Réessayer maintenant' }).first()).toBeVisible();
      // QR posters: the list, a staff member's, a location's.
      await check('/owner/posters', 'posters');
      await check('/owner/posters/staff?site=default&id=m-204', 'poster, staff');
      await expect(page.locator('.poster svg')).toHaveCount(1);
      await check('/owner/posters/location?site=default&name=Larch%20Street', 'poster, location');
      // Printed, the poster is all there is.
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('header.bar')).toBeHidden();
      await expect(page.locator('.poster svg')).toBeVisible();
      await expect(page.locator('main > h1')).toBeHidden();
      await page.emulateMedia({ media: 'screen' });
      await context.close();
    });
  }
}

test('the owner signs in and approves one praise with the keyboard alone', async ({ browser }) => {
  const story = 'He carried the heavy bags to our car in the pouring rain.';
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/owner/sign-in`);
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { id: element?.id ?? '', value: element?.getAttribute('value') ?? '', text: element?.textContent ?? '' };
    });
  // Tab: the skip link, then the email field.
  await page.keyboard.press('Tab');
  expect((await focused()).text).toContain('Skip to content');
  await page.keyboard.press('Tab');
  expect((await focused()).id).toBe('email');
  await page.keyboard.type(EMAIL);
  await page.keyboard.press('Tab');
  expect((await focused()).id).toBe('password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/owner\/moderation$/);

  // Tab to the Approve button of Dev's praise, then Enter.
  const card = page.locator('article').filter({ hasText: story });
  const approveValue = await card.locator('button[value^="approve:"]').getAttribute('value');
  const id = approveValue!.split(':')[1];
  let reached = false;
  for (let presses = 0; presses < 80 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = (await focused()).value === approveValue;
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('1 approved');
  await expect(page.locator('article').filter({ hasText: story })).toHaveCount(0);

  const wall = await (await page.request.get(`${BASE}/v1/wall`)).json();
  expect(wall.items.map((item: { id: string }) => item.id)).toContain(id);
  await context.close();
});

test('the owner retries a delivery and opens a poster with the keyboard alone', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { tag: element?.tagName ?? '', text: element?.textContent ?? '', href: element?.getAttribute('href') ?? '' };
    });
  const tabTo = async (matches: (f: Awaited<ReturnType<typeof focused>>) => boolean) => {
    for (let presses = 0; presses < 80; presses++) {
      await page.keyboard.press('Tab');
      if (matches(await focused())) return true;
    }
    return false;
  };

  // The navigation reaches the delivery log; Tab to the first Retry now; Enter.
  expect(await tabTo((f) => f.href === '/owner/deliveries')).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/owner\/deliveries$/);
  expect(await tabTo((f) => f.tag === 'BUTTON' && f.text.includes('Retry now'))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/done=(retried|not-retried)/);
  await expect(page.getByRole('status')).toBeVisible();

  // The posters: the navigation, then a staff member's poster.
  expect(await tabTo((f) => f.href === '/owner/posters')).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/owner\/posters$/);
  expect(await tabTo((f) => f.href.startsWith('/owner/posters/staff'))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.locator('.poster svg')).toBeVisible();
  await expect(page.locator('.poster-url')).toHaveText(/^https:\/\/shop\.example\/thanks\?kudos-staff=(m-204|d-7)$/);
  await context.close();
});
