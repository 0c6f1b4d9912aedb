// The newsletter's double opt-in in a real browser, end to end: a visitor subscribes in the widget
// (live mode, posting to kudos-server: the real binary on SQLite, 23 ports above the page server),
// the confirmation email is read from the server's mail folder (one .eml file per message), its
// link opens a page whose button confirms, the owner sees the subscription confirmed with the
// consent wording proven against its hash, and the visitor unsubscribes through the email's
// List-Unsubscribe address. The binary is the one `cargo xtask test` built for the server layer.
import { test, expect, request, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectNoAxeViolations, stopProcess } from '../helpers';

const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
const PORT = PAGE_PORT + 23;
const BASE = `http://127.0.0.1:${PORT}`;
const BINARY = path.join(__dirname, '../../../target/debug/kudos-server');
const OWNER = 'owner@shop.example';
const PASSWORD = 'a long passphrase for the owner';
const VISITOR = 'zoe.visitor@example.net';
let server: ChildProcess;
let database: string;
let folder: string;

function cli(...args: string[]): string {
  return execFileSync(BINARY, [...args, '--database-url', database], { encoding: 'utf8' });
}

test.beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kudos-subscribe-e2e-'));
  database = `sqlite://${path.join(dir, 'kudos.db')}`;
  folder = path.join(dir, 'mail');
  server = spawn(
    BINARY,
    [
      'serve', '--listen', `127.0.0.1:${PORT}`, '--database-url', database,
      '--allowed-origin', `http://127.0.0.1:${PAGE_PORT}`, '--public-url', BASE,
      // Playwright fills a form in milliseconds: take any fill time.
      '--min-fill-time-ms', '0',
      // No SMTP server: each email is an .eml file in this folder.
      '--mail-folder', folder,
      '--company', 'Larch Street Market',
      '--contact', '12 Larch Street, Halifax NS, hello@larchstreet.example',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUDOS_LOG: 'warn' } },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`kudos-server exited with ${code}`)));
    server.stdout!.once('data', () => resolve());
  });
});

test.afterAll(async () => {
  await stopProcess(server);
});

/** The decoded text part and the headers of the one email in the folder to `to`. */
async function emailTo(to: string): Promise<{ text: string; headers: string }> {
  for (let i = 0; i < 100; i++) {
    let names: string[] = [];
    try {
      names = readdirSync(folder).filter((name) => name.endsWith('.eml'));
    } catch {
      // Not made yet.
    }
    for (const name of names) {
      const raw = readFileSync(path.join(folder, name), 'utf8');
      const [head] = raw.split(/\r?\n\r?\n/);
      const headers = head.replace(/\r?\n[ \t]+/g, ' ');
      if (!headers.toLowerCase().includes(to.toLowerCase())) continue;
      // The text/plain part, decoded from quoted-printable or base64.
      const part = raw.split(/\r?\n--/).find((p) => /Content-Type: text\/plain/i.test(p)) ?? '';
      const [partHead, ...rest] = part.split(/\r?\n\r?\n/);
      let body = rest.join('\n\n');
      if (/Content-Transfer-Encoding: quoted-printable/i.test(partHead)) {
        const bytes = body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
        body = Buffer.from(bytes, 'latin1').toString('utf8');
      } else if (/Content-Transfer-Encoding: base64/i.test(partHead)) {
        body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      }
      return { text: body, headers };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email to ${to} in ${folder}`);
}

async function signIn(page: Page) {
  const out = cli('admin', 'add', OWNER, '--public-url', BASE);
  const link = out.split('\n').find((line) => line.includes('/owner/set-password?token='))!.trim();
  const api = await request.newContext({ baseURL: BASE });
  const form = await (await api.get(link)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(form)![1];
  const done = await api.post('/owner/set-password', {
    form: { csrf, token: link.split('token=')[1], password: PASSWORD, confirm: PASSWORD },
    maxRedirects: 0,
  });
  expect(done.status()).toBe(303);
  await api.dispose();
  await page.goto(`${BASE}/owner/sign-in`);
  await page.locator('#email').fill(OWNER);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form[action="/owner/sign-in"] button[type="submit"]').click();
  await expect(page).toHaveURL(/\/owner\/moderation$/);
}

test('subscribe in the widget, confirm from the email, confirmed for the owner, then unsubscribe', async ({ browser, baseURL }) => {
  // Contexts of our own: axe-core needs them (and the owner and the visitor share no cookies).
  const ownerContext = await browser.newContext({ baseURL });
  const visitorContext = await browser.newContext();
  const page = await ownerContext.newPage();
  // 1. The visitor subscribes in the widget, live.
  await page.goto('/pages/newsletter-live.html');
  const widget = page.locator('[data-kudos-widget]');
  await widget.getByLabel('Email address').fill(VISITOR);
  await widget.getByLabel('Weekly deals').check();
  await widget.locator('#kudos-newsletter-consent').check();
  await widget.getByRole('button', { name: 'Subscribe' }).click();
  await expect(widget.getByRole('heading', { name: 'Check your inbox to confirm' })).toBeVisible();

  // 2. The confirmation email: a link, and the one-click unsubscribe headers.
  const mail = await emailTo(VISITOR);
  expect(mail.headers).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/i);
  const unsubscribe = /List-Unsubscribe: <([^>]+)>/i.exec(mail.headers)![1];
  expect(unsubscribe.startsWith(`${BASE}/newsletter/unsubscribe?t=`)).toBe(true);
  const confirm = /Confirm: (\S+)/.exec(mail.text)![1];

  // 3. The link opens a page; only its button confirms.
  const visitor = await visitorContext.newPage();
  await visitor.goto(confirm);
  await expect(visitor.getByText(VISITOR)).toBeVisible();
  await expectNoAxeViolations(visitor, 'confirmation page');
  await visitor.getByRole('button', { name: 'Confirm my subscription' }).click();
  await expect(visitor.getByText('your subscription is confirmed')).toBeVisible();

  // 4. The owner sees it confirmed, with the wording proven against the hash the widget sent.
  await signIn(page);
  await page.goto(`${BASE}/owner/subscribers`);
  const card = page.locator(`[data-subscriber="${VISITOR}"]`);
  await expect(card).toHaveAttribute('data-status', 'confirmed');
  await expect(card).toContainText('weekly');
  await expect(card).toContainText('Yes, Larch Street Market may email me its newsletter');
  await expect(card.locator('.proof.matches')).toBeVisible();
  await expectNoAxeViolations(page, 'subscribers');

  // 5. The visitor unsubscribes from the email's address (the page's button).
  await visitor.goto(unsubscribe);
  await expectNoAxeViolations(visitor, 'unsubscribe page');
  await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(visitor.getByText('You are unsubscribed')).toBeVisible();
  await page.reload();
  await expect(page.locator(`[data-subscriber="${VISITOR}"]`)).toHaveAttribute('data-status', 'unsubscribed');
  await expect(page.locator(`[data-subscriber="${VISITOR}"]`)).toContainText('unsubscribed — ');
  await ownerContext.close();
  await visitorContext.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const language of ['en', 'fr-CA'] as const) {
    test(`the subscribers page has no axe violations (${colorScheme}, ${language})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme, locale: language });
      const page = await context.newPage();
      await page.goto(`${BASE}/owner/sign-in`);
      await page.locator('#email').fill(OWNER);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('form[action="/owner/sign-in"] button[type="submit"]').click();
      await expect(page).toHaveURL(/\/owner\/moderation$/);
      await page.goto(`${BASE}/owner/subscribers`);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.locator(`[data-subscriber="${VISITOR}"]`)).toBeVisible();
      await expectNoAxeViolations(page, `subscribers (${colorScheme}, ${language})`);
      await context.close();
    });
  }
}
