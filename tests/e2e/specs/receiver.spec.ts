// The loop a site owner runs: the widget in live mode posts to kudos-server (the real binary, on
// SQLite, 20 ports above the page server), the owner approves from the command line, and the wall
// in the widget shows the praise, read from the server's paged feed. A page on an origin that is
// not on the server's list is refused by the real browser's CORS check, and nothing is stored.
// The binary is the one `cargo xtask test` built for the server layer (target/debug/kudos-server).
import { test, expect } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopProcess } from '../helpers';

const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
const PORT = PAGE_PORT + 20;
const BINARY = path.join(__dirname, '../../../target/debug/kudos-server');
let server: ChildProcess;
let database: string;

function cli(...args: string[]): string {
  return execFileSync(BINARY, [...args, '--database-url', database], { encoding: 'utf8' });
}

test.beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kudos-server-e2e-'));
  database = `sqlite://${path.join(dir, 'kudos.db')}`;
  // A roster with made-up addresses: Priya's manager hears about new praise, Priya about approval.
  const roster = path.join(dir, 'staff.csv');
  writeFileSync(roster, 'id,name,role,location,nicknames,email,manager_email\np-1,Priya,Baker,Larch Street,,priya@larch.example,lead@larch.example\n');
  cli('staff', 'import', roster);
  server = spawn(
    BINARY,
    // Playwright fills a form in milliseconds; a person needs more than the 3 s under which the
    // server files praise as spam, so this test's server takes any fill time. No SMTP: mail goes to
    // .eml files, shown at /dev/mail as `cargo xtask serve` shows them to a newcomer.
    ['serve', '--listen', `127.0.0.1:${PORT}`, '--database-url', database, '--allowed-origin', `http://127.0.0.1:${PAGE_PORT}`,
      '--min-fill-time-ms', '0', '--mail-folder', path.join(dir, 'mail'), '--dev-mail-viewer', 'true'],
    // Warnings and errors reach the test log; the per-request lines would drown it.
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

test('praise sent in the widget reaches kudos-server, is approved, and appears on the wall', async ({ page, browser }) => {
  const story = 'She noticed my son was lost, stayed with him by the flowers and called my name over the speakers.';
  await page.goto('/pages/receiver-live.html');
  const widget = page.locator('[data-kudos-widget]');
  await expect(widget.getByText('No published praise yet')).toBeVisible();
  await widget.getByLabel('Who would you like to thank?').fill('Noor');
  await widget.getByLabel('What did they do?').fill(story);
  await widget.getByLabel(/You may publish this praise/).check();
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(widget.getByRole('heading', { name: 'Thank you!' })).toBeFocused();

  // Held for moderation: listed as pending, not on the wall yet.
  const pending = cli('praise', 'list', '--status', 'pending_moderation').trim().split('\n').slice(1);
  expect(pending).toHaveLength(1);
  const [id, , , , staff] = pending[0].split('\t');
  expect(staff).toBe('Noor');
  const before = await (await page.request.get(`http://127.0.0.1:${PORT}/v1/wall`)).json();
  expect(before.items).toEqual([]);

  expect(cli('praise', 'approve', id)).toContain('approved');
  // The wall feed may be cached for 60 s (Cache-Control: public, max-age=60), so this page could
  // still show the empty wall it read; the next visitor, with their own cache, sees the praise.
  const visitor = await browser.newPage();
  await visitor.goto('/pages/receiver-live.html');
  const card = visitor.locator('[data-kudos-widget]').locator('.kudos-card').filter({ hasText: story });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Noor');
});

test('a page whose origin is not on the list is refused by the browser and nothing is stored', async ({ page }) => {
  const posts: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/v1/submissions') && response.request().method() === 'POST') posts.push(response.status());
  });
  const failed: string[] = [];
  page.on('requestfailed', (request) => {
    if (request.url().endsWith('/v1/submissions')) failed.push(request.failure()?.errorText ?? '');
  });
  const before = cli('praise', 'list').trim().split('\n').length;
  // `localhost` is another origin than the allowed `127.0.0.1`.
  await page.goto(`http://localhost:${PAGE_PORT}/pages/receiver-live.html`);
  const widget = page.locator('[data-kudos-widget]');
  await widget.getByLabel('Who would you like to thank?').fill('Noor');
  await widget.getByLabel('What did they do?').fill('He found my glasses in the cart return and kept them safe for me.');
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  // The preflight gets no Access-Control-Allow-Origin: the browser never sends the POST.
  await expect.poll(() => failed.length).toBeGreaterThan(0);
  expect(failed[0]).toContain('net::ERR_FAILED');
  expect(posts).toEqual([]);
  await expect(widget.getByRole('heading', { name: 'Thank you!' })).toHaveCount(0);
  expect(cli('praise', 'list').trim().split('\n').length).toBe(before);
});

test('the newcomer\'s loop: the manager\'s email approves through its link, the employee hears, the wall shows it', async ({ page, browser }) => {
  const story = 'She boxed up the last sourdough for me at closing and wrote the reheating steps on the bag.';
  await page.goto('/pages/receiver-live.html');
  const widget = page.locator('[data-kudos-widget]');
  await widget.getByLabel('Who would you like to thank?').fill('Priya');
  await widget.getByLabel('What did they do?').fill(story);
  await widget.getByLabel(/You may publish this praise/).check();
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(widget.getByRole('heading', { name: 'Thank you!' })).toBeFocused();

  // The manager's email arrives (the queue sends it within moments).
  const mail = await browser.newPage();
  const managerRow = mail.getByRole('row').filter({ hasText: 'lead@larch.example' });
  await expect(async () => {
    await mail.goto(`http://127.0.0.1:${PORT}/dev/mail`);
    await expect(managerRow).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await managerRow.getByRole('link').click();
  await expect(mail.locator('pre')).toContainText(story);
  // The approve link opens a page that only looks; its button decides.
  const approve = mail.locator('pre a').filter({ hasText: '/links?' }).first();
  await approve.click();
  await expect(mail.getByRole('heading', { name: 'Approve this praise?' })).toBeVisible();
  expect(cli('praise', 'list', '--status', 'pending_moderation')).toContain('Priya');
  await mail.getByRole('button', { name: 'Approve' }).click();
  expect(cli('praise', 'list', '--status', 'approved')).toContain('Priya');

  // The employee hears that a visitor thanked them.
  const employeeRow = mail.getByRole('row').filter({ hasText: 'priya@larch.example' });
  await expect(async () => {
    await mail.goto(`http://127.0.0.1:${PORT}/dev/mail`);
    await expect(employeeRow).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });

  // And the next visitor sees it on the wall.
  const visitor = await browser.newPage();
  await visitor.goto('/pages/receiver-live.html');
  await expect(visitor.locator('[data-kudos-widget]').locator('.kudos-card').filter({ hasText: story })).toBeVisible();
});
