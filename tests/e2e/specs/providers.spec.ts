// Live with no server of one's own (issue 15): the release build posts straight to a form or
// newsletter service. The services are loopback stand-ins (tests/e2e/providers.mjs) that answer as
// their public docs say, CORS and errors included; only the snippet changes between them.
import { test, expect, type Page, type APIRequestContext } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopProcess } from '../helpers';

const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
// 25 above the page server: clear of the endpoint (+10), kudos-server (+20, +21, +23).
const PORT = PAGE_PORT + 25;
const SERVICES = `http://127.0.0.1:${PORT}`;
const STORY = 'She walked me to the right aisle and found the last gluten-free loaf for me.';

type Received = { service: string; path: string; accept: string; contentType: string; body: Record<string, unknown> };

let server: ChildProcess;

test.beforeAll(async () => {
  server = spawn('node', [path.join(__dirname, '..', 'providers.mjs'), String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`providers.mjs exited with ${code}`)));
    server.stdout!.once('data', () => resolve());
  });
});

test.afterAll(async () => {
  await stopProcess(server);
});

async function control(request: APIRequestContext, body: object = {}) {
  expect((await request.post(`${SERVICES}/__control`, { data: body })).ok()).toBe(true);
}

async function received(request: APIRequestContext): Promise<Received[]> {
  return (await (await request.get(`${SERVICES}/__log`)).json()).received;
}

/** The page with these snippet attributes (endpoint= is a path on the stand-ins). */
async function open(page: Page, attrs: Record<string, string>) {
  await page.goto(`/pages/providers.html?${new URLSearchParams(attrs)}`);
}

async function sendPraise(page: Page) {
  await page.getByLabel('Who would you like to thank?').fill('Maribel');
  await page.getByLabel('What did they do?').fill(STORY);
  await page.getByRole('button', { name: 'Send my thanks' }).click();
}

async function subscribe(page: Page, email = 'ana@shop.example') {
  await page.getByLabel('Email address').fill(email);
  await page.locator('[data-kudos-widget]').locator('#kudos-newsletter-consent').check();
  await page.getByRole('button', { name: 'Subscribe' }).click();
}

const thanks = (page: Page) => expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible({ timeout: 10_000 });

for (const [provider, endpoint, key] of [
  ['formspree', '/f/xyzzy', ''],
  ['basin', '/basin/f/abc123', ''],
  ['web3forms', '/submit', 'w3f-public-key'],
  ['staticforms', '/staticforms/submit', 'sf-public-key'],
] as const) {
  test(`${provider}: praise is delivered with readable labels, a subject line and its id`, async ({ page, request }) => {
    await control(request);
    await open(page, { provider, endpoint, ...(key ? { 'provider-key': key } : {}) });
    await sendPraise(page);
    await thanks(page);
    const posts = await received(request);
    expect(posts).toHaveLength(1);
    const { body, accept, contentType, service } = posts[0];
    expect(service).toBe(provider);
    expect(accept).toContain('application/json');
    expect(contentType).toContain('application/json');
    expect(body.staff).toBe('Maribel');
    expect(body.story).toBe(STORY);
    expect(body[provider === 'formspree' ? '_subject' : 'subject']).toBe('Praise for Maribel');
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(String(body.publish_consent)).toMatch(/^no \(praise-publish-/);
    // Our own envelope never reaches a form handler.
    expect(body).not.toHaveProperty('schema_version');
    if (key) expect(Object.values(body)).toContain(key);
    // Delivered: the draft and the outbox are cleared, as for our own endpoint.
    await page.reload();
    await expect(page.getByLabel('What did they do?')).toHaveValue('');
  });
}

test('formspree: a 422 naming email marks the newsletter email field and keeps what was typed', async ({ page, request }) => {
  await control(request, {
    replies: [{ status: 422, body: { error: 'Validation errors', errors: [{ code: 'TYPE_EMAIL', field: 'email', message: 'should be an email' }] } }],
  });
  await open(page, { widget: 'newsletter', provider: 'formspree', endpoint: '/f/news' });
  await subscribe(page);
  const email = page.getByLabel('Email address');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveValue('ana@shop.example');
  // Refused for good: not retried behind the visitor's back.
  await page.waitForTimeout(1_500);
  expect(await received(request)).toHaveLength(1);
});

test('web3forms: a wrong access key is refused once, never retried, and the praise is kept', async ({ page, request }) => {
  await control(request);
  await open(page, { provider: 'web3forms', endpoint: '/submit', 'provider-key': 'not-the-key' });
  await sendPraise(page);
  await expect(page.getByText('Your thanks could not be accepted.').first()).toBeVisible();
  await page.waitForTimeout(1_500);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].body.access_key).toBe('not-the-key');
  await expect(page.getByLabel('What did they do?')).toHaveValue(STORY);
});

test('staticforms: a 429 is retried with the same id until the service takes it', async ({ page, request }) => {
  await control(request, { replies: [{ status: 429, body: { success: false, message: 'Too many requests' } }] });
  await open(page, { provider: 'staticforms', endpoint: '/staticforms/submit', 'provider-key': 'sf-public-key' });
  await sendPraise(page);
  await thanks(page);
  const posts = await received(request);
  expect(posts).toHaveLength(2);
  expect(posts[1].body.id).toBe(posts[0].body.id);
});

test('a service that refuses CORS gets nothing; the praise waits, then goes once CORS is allowed', async ({ page, request }) => {
  await control(request, { cors: 'refuse' });
  await open(page, { provider: 'formspree', endpoint: '/f/xyzzy' });
  await sendPraise(page);
  await expect(page.locator('[part="queued"]')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByLabel('What did they do?')).toHaveValue(STORY);
  await control(request, { cors: 'allow' });
  await thanks(page);
  expect(await received(request)).toHaveLength(1);
});

test('listmonk: the sign-up goes to the public subscription API with the key\'s list, and asks to confirm', async ({ page, request }) => {
  await control(request);
  await open(page, { widget: 'newsletter', provider: 'listmonk', endpoint: '/listmonk', 'provider-key': '5e5e7e5e-5e5e-5e5e-5e5e-5e5e7e5e7e5e' });
  await subscribe(page);
  await expect(page.getByRole('heading', { name: 'Check your inbox to confirm' })).toBeVisible({ timeout: 10_000 });
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].path).toBe('/listmonk/api/public/subscription');
  expect(posts[0].body).toEqual({ email: 'ana@shop.example', list_uuids: ['5e5e7e5e-5e5e-5e5e-5e5e-5e5e7e5e7e5e'] });
});

for (const [form, heading] of [
  ['1', 'Check your inbox to confirm'],
  ['2', "You're subscribed"],
] as const) {
  test(`kit v3: form ${form} answers its subscription state, shown as "${heading}"`, async ({ page, request }) => {
    await control(request);
    await open(page, { widget: 'newsletter', provider: 'kit', endpoint: `/v3/forms/${form}/subscribe`, 'provider-key': 'kit-public-key' });
    await subscribe(page);
    await expect(page.getByRole('heading', { name: heading })).toBeVisible({ timeout: 10_000 });
    const posts = await received(request);
    expect(posts.map((p) => p.body)).toEqual([{ api_key: 'kit-public-key', email: 'ana@shop.example' }]);
  });
}

test('kit v3: a wrong public key is refused and the sign-up is kept', async ({ page, request }) => {
  await control(request);
  await open(page, { widget: 'newsletter', provider: 'kit', endpoint: '/v3/forms/1/subscribe', 'provider-key': 'wrong' });
  await subscribe(page);
  await expect(page.getByText('Your subscription could not be accepted').first()).toBeVisible({ timeout: 10_000 });
  await expect(page.getByLabel('Email address')).toHaveValue('ana@shop.example');
});

test('a newsletter service on the praise widget, or a missing key, mounts nothing and says why', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await open(page, { provider: 'kit', endpoint: '/v3/forms/1/subscribe', 'provider-key': 'k' });
  await expect.poll(() => errors.join('\n')).toContain('takes newsletter sign-ups only');
  await expect(page.getByLabel('What did they do?')).toHaveCount(0);
  errors.length = 0;
  await open(page, { provider: 'web3forms', endpoint: '/submit' });
  await expect.poll(() => errors.join('\n')).toContain('data-provider-key is missing');
});

test('the strict-CSP page delivers to a form service whose origin is in connect-src', async ({ page, request }) => {
  test.skip(PAGE_PORT !== 4173, 'the page\'s policy names the default port');
  await control(request);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto('/pages/csp-provider.html');
  await sendPraise(page);
  await thanks(page);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].body._subject).toBe('Praise for Maribel');
  expect(violations).toEqual([]);
});
