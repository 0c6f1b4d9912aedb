// The README's example receiver really works with the widget: a live praise form on one port posts
// to the receiver on another (CORS preflight included), which keeps it once and replies as the
// contract says. The host page is a real file: Chromium treats a page without a server address
// (a routed response) as public, and refuses its requests to the loopback receiver.
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PORT = Number(process.env.E2E_PORT ?? 4173) + 20;
let receiver: ChildProcess;
let inbox: string;

test.beforeAll(async () => {
  inbox = path.join(mkdtempSync(path.join(tmpdir(), 'kudos-receiver-')), 'inbox.jsonl');
  receiver = spawn('node', [path.join(__dirname, '../../../docs/example-receiver.mjs')], {
    env: { ...process.env, PORT: String(PORT), INBOX: inbox, ALLOW_ORIGIN: '*' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => receiver.stdout!.once('data', () => resolve()));
});

test.afterAll(() => {
  receiver.kill();
});

test('a live praise form delivers once to the example receiver', async ({ page }) => {
  await page.goto('/pages/receiver-live.html');
  const widget = page.locator('[data-kudos-widget]');
  await widget.getByLabel('Who would you like to thank?').fill('Noor');
  await widget.getByLabel('What did they do?').fill('She carried my bags to the car and wished me a good evening.');
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(widget.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
  await expect.poll(() => existsSync(inbox) && readFileSync(inbox, 'utf8').trim().split('\n').length).toBe(1);
  const kept = JSON.parse(readFileSync(inbox, 'utf8'));
  expect(kept.type).toBe('staff_recognition.submitted');
  expect(kept.data.staff_name).toBe('Noor');
});
