// Live mode, end to end: the release build on pages/live.html posts to tests/e2e/endpoint.mjs on
// another port (a real cross-origin request with a real CORS preflight), while faults are made
// with request interception (`page.route`), the endpoint's scripted replies, or the browser going
// offline. For each fault: the endpoint takes the submission exactly once (one id), and nothing the
// visitor typed is lost.
import { test, expect, type Page, type Route, type APIRequestContext } from '@playwright/test';

// The endpoint listens 10 ports above the page server (playwright.config.ts).
const PAGE_PORT = Number(process.env.E2E_PORT ?? 4173);
const ENDPOINT = `http://127.0.0.1:${PAGE_PORT + 10}`;
const POSTS = `${ENDPOINT}/kudos`;
const STORY = 'She walked me to the right aisle and found the last gluten-free loaf for me.';
// Offline: "when you're back online"; online, the site did not answer: "we'll keep trying".
const QUEUED = /Saved — (we'll send it when you're back online|the site didn't answer)/;

type Body = { id: string; type: string; signals: { attempt: number; honeypot: string; fill_time_ms: number }; site: { url: string; title: string; language: string }; data: { story: string; staff_name?: string } };
type Log = { preflights: number; received: Body[]; accepted: Body[] };

/** Resets the endpoint's log and tells it how to answer the next posts. */
async function endpoint(request: APIRequestContext, control: object = {}) {
  const response = await request.post(`${ENDPOINT}/__control`, { data: control });
  expect(response.ok()).toBe(true);
}

async function log(request: APIRequestContext): Promise<Log> {
  return (await request.get(`${ENDPOINT}/__log`)).json();
}

/** Waits until the endpoint has accepted `count` submissions, then returns its log. */
async function accepted(request: APIRequestContext, count: number): Promise<Log> {
  await expect.poll(async () => (await log(request)).accepted.length, { timeout: 15_000 }).toBe(count);
  return log(request);
}

async function fillPraise(page: Page, staff = 'Maribel', story = STORY) {
  await page.getByLabel('Who would you like to thank?').fill(staff);
  await page.getByLabel('What did they do?').fill(story);
}

async function send(page: Page) {
  await page.getByRole('button', { name: 'Send my thanks' }).click();
}

async function expectThanks(page: Page) {
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible({ timeout: 15_000 });
}

/** The visible "saved, will send" message (the status region announces the same words). */
async function expectQueued(page: Page, timeout = 5_000) {
  await expect(page.locator('[part="queued"]')).toHaveText(QUEUED, { timeout });
  await expect(page.locator('[part="queued"]')).toBeVisible();
}

/** Nothing typed is lost: the fields still hold what the visitor wrote. */
async function expectTyped(page: Page, staff = 'Maribel', story = STORY) {
  await expect(page.getByLabel('Who would you like to thank?')).toHaveValue(staff);
  await expect(page.getByLabel('What did they do?')).toHaveValue(story);
}

/** Exactly one accepted submission, and every post that reached the endpoint carried its id. */
async function expectDeliveredOnce(request: APIRequestContext, story = STORY): Promise<Body> {
  const { accepted: bodies, received } = await accepted(request, 1);
  // Give a stray duplicate a moment to show up before concluding there is none.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = await log(request);
  expect(after.accepted).toHaveLength(1);
  const [body] = bodies;
  expect(body.data.story).toBe(story);
  expect(new Set(after.received.map((b) => b.id))).toEqual(new Set([body.id]));
  expect(received.length).toBeGreaterThanOrEqual(1);
  return body;
}

/** Answers the first post to the endpoint with `fault`, lets every later one through; records
 *  the ids of all posts the page made. With `holdRetries`, later posts wait until `release()` is
 *  called: the retry backoff has full jitter (it may be a few milliseconds), so a test that checks
 *  the queued state in between holds the retry instead of racing it. */
async function faultOnce(
  page: Page,
  fault: (route: Route) => Promise<void> | void,
  { holdRetries = false } = {},
) {
  const ids: string[] = [];
  let calls = 0;
  let release: () => void = () => {};
  const released = holdRetries ? new Promise<void>((resolve) => { release = resolve; }) : Promise.resolve();
  await page.route(POSTS, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    ids.push(route.request().postDataJSON().id);
    calls += 1;
    if (calls === 1) return fault(route);
    await released;
    // A held retry may have hit its own timeout meanwhile; the widget then tries again.
    return route.continue().catch(() => {});
  });
  return { ids, release: () => release() };
}

test.beforeEach(async ({ request }) => {
  await endpoint(request);
});

test('a submission crosses origins with a real preflight and the documented envelope', async ({ page, request }) => {
  await page.goto('/pages/live.html?utm_source=mail#top');
  await fillPraise(page);
  await send(page);
  await expectThanks(page);
  const body = await expectDeliveredOnce(request);
  expect((await log(request)).preflights).toBeGreaterThanOrEqual(1);
  expect(body.type).toBe('staff_recognition.submitted');
  expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(body.site).toEqual({ url: `http://127.0.0.1:${PAGE_PORT}/pages/live.html`, title: 'Live endpoint', language: 'en' });
  expect(body.signals.attempt).toBe(1);
  expect(body.signals.honeypot).toBe('');
  expect(body.signals.fill_time_ms).toBeGreaterThan(0);
  // Delivered: nothing is left in storage for this form.
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:')));
  expect(keys).toEqual([]);
});

test('a 500 is retried with the same id, then delivered once', async ({ page, request }) => {
  await page.goto('/pages/live.html');
  const { ids } = await faultOnce(page, (route) =>
    route.fulfill({ status: 500, headers: { 'Access-Control-Allow-Origin': '*' }, body: 'oops' }));
  await fillPraise(page);
  await send(page);
  await expectThanks(page);
  const body = await expectDeliveredOnce(request);
  expect(ids).toEqual([body.id, body.id]);
  expect(body.signals.attempt).toBe(2);
});

test('a 429 with Retry-After: 2 waits two seconds, then is delivered once', async ({ page, request }) => {
  await endpoint(request, { replies: [{ status: 429, headers: { 'Retry-After': '2' }, body: { error: 'slow down' } }] });
  await page.goto('/pages/live.html');
  await fillPraise(page);
  const started = Date.now();
  await send(page);
  await expectQueued(page);
  await expectTyped(page);
  await expectThanks(page);
  const elapsed = Date.now() - started;
  const body = await expectDeliveredOnce(request);
  const { received } = await log(request);
  expect(received.map((b) => b.signals.attempt)).toEqual([1, 2]);
  // The backoff alone would have retried within a second; the endpoint's two seconds won.
  expect(elapsed).toBeGreaterThanOrEqual(1_900);
  expect(body.signals.attempt).toBe(2);
});

test('a hanging request times out and is retried, delivered once', async ({ page, request }) => {
  await page.goto('/pages/live.html');
  // The first post never gets an answer; the widget's per-attempt timeout (1.5 s here) aborts it.
  const { ids, release } = await faultOnce(page, () => new Promise<void>(() => {}), { holdRetries: true });
  await fillPraise(page);
  await send(page);
  await expectQueued(page, 10_000);
  await expectTyped(page);
  release();
  await expectThanks(page);
  const body = await expectDeliveredOnce(request);
  // Normally two posts; a third only if the machine held the retry past its own 1.5 s timeout.
  expect(ids.length).toBeGreaterThanOrEqual(2);
  expect(new Set(ids)).toEqual(new Set([body.id]));
});

test('a reset connection is retried, delivered once', async ({ page, request }) => {
  await page.goto('/pages/live.html');
  const { ids } = await faultOnce(page, (route) => route.abort('connectionreset'));
  await fillPraise(page);
  await send(page);
  await expectThanks(page);
  const body = await expectDeliveredOnce(request);
  expect(ids).toEqual([body.id, body.id]);
});

test('offline, the praise waits; back online, it is delivered once', async ({ page, context, request }) => {
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await context.setOffline(true);
  await send(page);
  await expectQueued(page);
  await expectTyped(page);
  expect((await log(request)).received).toHaveLength(0);
  await context.setOffline(false);
  await expectThanks(page);
  await expectDeliveredOnce(request);
});

test('a queued praise survives a reload and is sent on the next page load, once', async ({ page, request }) => {
  await page.goto('/pages/live.html');
  await page.route(POSTS, (route) =>
    route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback());
  await fillPraise(page);
  await send(page);
  await expectQueued(page);
  // The visitor leaves (the old page's retry timers go with it), and comes back later.
  await page.goto('about:blank');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  expect((await log(request)).received).toHaveLength(0);

  await page.goto('/pages/live.html');
  // Restored as it was, then delivered by the page load's flush.
  await expectThanks(page);
  await expectDeliveredOnce(request);
});

test('a 422 naming data.story marks the story field and keeps the text', async ({ page, request }) => {
  await endpoint(request, {
    replies: [{ status: 422, body: { errors: [{ field: 'data.story', code: 'too_short' }] } }],
  });
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await send(page);
  const story = page.getByLabel('What did they do?');
  await expect(story).toHaveAttribute('aria-invalid', 'true');
  await expect(story).toBeFocused();
  await expect(page.getByText('The site could not accept this. Please check it and try again.').first()).toBeVisible();
  await expectTyped(page);
  // Refused for good: nothing was accepted, and nothing is retried behind the visitor's back.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const after422 = await log(request);
  expect(after422.received).toHaveLength(1);
  expect(after422.accepted).toHaveLength(0);

  // The visitor fixes it and sends again: a new submission, accepted once.
  const longer = `${STORY} Truly the best service.`;
  await story.fill(longer);
  await send(page);
  await expectThanks(page);
  const { accepted: bodies } = await accepted(request, 1);
  expect(bodies[0].data.story).toBe(longer);
  expect(bodies[0].id).not.toBe(after422.received[0].id);
});

test('an endpoint that refuses CORS gets nothing; the praise waits and goes once CORS is fixed', async ({ page, request }) => {
  await endpoint(request, { cors: 'refuse' });
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await send(page);
  await expectQueued(page);
  await expectTyped(page);
  const refused = await log(request);
  expect(refused.preflights).toBeGreaterThanOrEqual(1);
  expect(refused.received).toHaveLength(0);

  // The owner fixes the CORS reply; the next retry (backoff) sends the waiting praise.
  await endpoint(request, { cors: 'allow' });
  await expectThanks(page);
  await expectDeliveredOnce(request);
});

// Issue 12, defect 7: only the contract's own answer counts as delivered. A catch-all route that
// answers 200 with a web page, or a 2xx naming a status the contract does not have, must not
// clear the visitor's draft and outbox entry; the same id is sent again.
for (const [what, fault] of [
  ['200 with an HTML page', { status: 200, contentType: 'text/html', body: '<!doctype html><title>Welcome</title>' }],
  ['201 with {"status":"bogus"}', { status: 201, contentType: 'application/json', body: '{"status":"bogus"}' }],
] as const) {
  test(`a ${what} is not counted as delivered: the praise waits, then goes once`, async ({ page, request }) => {
    await page.goto('/pages/live.html');
    const { ids, release } = await faultOnce(page, (route) =>
      route.fulfill({ ...fault, headers: { 'Access-Control-Allow-Origin': '*' } }), { holdRetries: true });
    await fillPraise(page);
    await send(page);
    await expectQueued(page);
    await expectTyped(page);
    await expect(page.getByRole('heading', { name: 'Thank you!' })).toHaveCount(0);
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:outbox:')));
    expect(kept).toHaveLength(1);
    release();
    await expectThanks(page);
    const body = await expectDeliveredOnce(request);
    expect(new Set(ids)).toEqual(new Set([body.id]));
    expect(ids.length).toBeGreaterThanOrEqual(2);
  });
}

// Issue 12, defect 2: a praise form and a newsletter form on one endpoint share one outbox in
// storage; each must deliver and settle only its own submission, so each host hears its own
// kudos:success and neither form stays "queued" with its draft kept.
test('praise and newsletter on one endpoint, offline then online: each delivers and settles its own', async ({ page, context, request }) => {
  await page.goto('/pages/two-forms-live.html');
  const praise = page.locator('#praise');
  const newsletter = page.locator('#newsletter');
  // Below the praise form: it loads when it comes near the screen.
  await newsletter.scrollIntoViewIfNeeded();
  await expect(newsletter.getByLabel('Email address')).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { __events: string[] };
    w.__events = [];
    for (const type of ['kudos:success', 'kudos:queued']) {
      document.addEventListener(type, (event) => {
        const host = (event.target as Element).closest('section')?.id;
        w.__events.push(`${type} ${host} ${(event as CustomEvent).detail.widget}`);
      });
    }
  });
  await fillPraise(praise as unknown as Page);
  await newsletter.getByLabel('Email address').fill('ana@shop.example');
  await newsletter.locator('#kudos-newsletter-consent').check();

  await context.setOffline(true);
  await praise.getByRole('button', { name: 'Send my thanks' }).click();
  await newsletter.getByRole('button', { name: 'Subscribe' }).click();
  await expect(praise.locator('[part="queued"]')).toHaveText(QUEUED);
  await expect(newsletter.locator('[part="queued"]')).toHaveText(QUEUED);

  await context.setOffline(false);
  await expectThanks(praise as unknown as Page);
  await expect(newsletter.getByRole('heading', { name: "You're subscribed" })).toBeVisible({ timeout: 15_000 });
  const { accepted: bodies } = await accepted(request, 2);
  expect(bodies.map((b) => b.type).sort()).toEqual(['newsletter.subscription_requested', 'staff_recognition.submitted']);
  const successes = (await page.evaluate(() => (window as unknown as { __events: string[] }).__events))
    .filter((e) => e.startsWith('kudos:success'));
  expect(successes.sort()).toEqual(['kudos:success newsletter newsletter', 'kudos:success praise praise']);
  // Both settled: no draft, no pending id and no outbox entry is left behind.
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:')))).toEqual([]);
});

/** The outbox entries in storage (one endpoint: one key). */
async function outboxEntries(page: Page): Promise<{ id: string; failures: number }[]> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kudos-widget:outbox:'));
    return key ? JSON.parse(localStorage.getItem(key)!).entries : [];
  });
}

// Issue 12, defect 1: a failure that never ends (here a 500 on every attempt, across reloads) must
// not lock the form for ever. After the bound (20 failed attempts, or a day) the widget gives up:
// "couldn't send", the text still in the fields, and sending again works.
test('a 500 on every attempt, across reloads, ends in "couldn\'t send" with the text kept; sending again works', async ({ page, request }) => {
  await endpoint(request, { replies: Array.from({ length: 40 }, () => ({ status: 500, body: { error: 'down' } })) });
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await send(page);
  // Online, so the widget says the site did not answer (not "when you're back online").
  await expect(page.locator('[part="queued"]')).toHaveText(/didn't answer/);
  // Many visits later: nineteen attempts have failed (written as the courier would have).
  await expect.poll(async () => (await outboxEntries(page))[0]?.failures ?? 0).toBeGreaterThanOrEqual(1);
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kudos-widget:outbox:'))!;
    const outbox = JSON.parse(localStorage.getItem(key)!);
    outbox.entries[0].failures = 19;
    outbox.entries[0].online_failures = 19;
    outbox.entries[0].not_before_ms = 0;
    localStorage.setItem(key, JSON.stringify(outbox));
  });
  const errors: string[] = [];
  await page.exposeFunction('__kudosError', (reason: string) => errors.push(reason));
  await page.addInitScript(() =>
    document.addEventListener('kudos:error', (e) => (window as unknown as { __kudosError: (r: string) => void })
      .__kudosError((e as CustomEvent).detail.reason)));
  await page.reload();
  await expect(page.locator('[part="failure"]')).toHaveText(/couldn't send your thanks/, { timeout: 15_000 });
  await expectTyped(page);
  expect(await outboxEntries(page)).toEqual([]);
  expect(errors).toEqual(['could-not-send']);

  // The site is fixed; the visitor sends again: a new submission, delivered once.
  await endpoint(request);
  await send(page);
  await expectThanks(page);
  await expectDeliveredOnce(request);
});

test('a queued praise can be cancelled: nothing is sent, the text stays to edit and send', async ({ page, context, request }) => {
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await context.setOffline(true);
  await send(page);
  await expectQueued(page);
  await page.getByRole('button', { name: 'Stop sending and edit' }).click();
  await expect(page.locator('[part="queued"]')).toHaveCount(0);
  expect(await outboxEntries(page)).toEqual([]);
  await context.setOffline(false);
  const longer = `${STORY} Thank you again.`;
  await page.getByLabel('What did they do?').fill(longer);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect((await log(request)).received).toHaveLength(0);
  await send(page);
  await expectThanks(page);
  await expectDeliveredOnce(request, longer);
});

// Issue 12, defect 3: when the browser refuses to store (quota full, storage blocked), the widget
// must not promise "it will be sent next time you visit": it says the text could not be saved,
// and the form keeps every word.
test('storage full: a queued praise says it could not be saved here, and the text stays', async ({ page, context }) => {
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key.startsWith('kudos-widget:')) throw new DOMException('quota', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  await page.goto('/pages/live.html');
  await fillPraise(page);
  await context.setOffline(true);
  await send(page);
  const queued = page.locator('[part="queued"]');
  await expect(queued).toContainText("we couldn't save it in this browser", { timeout: 5_000 });
  await expect(queued).not.toContainText('next time you visit');
  await expectTyped(page);
  await context.setOffline(false);
  await expectThanks(page);
});

// Issue 12, defect 12: the envelope already names the page (without its query); the request itself
// sends no Referer at all, so a visitor's query string (tokens, emails in links) never reaches the
// endpoint, on another origin or the same one.
test('posts and the wall feed carry no Referer', async ({ page, request }) => {
  await page.goto('/pages/live.html?token=secret#top');
  await fillPraise(page);
  await send(page);
  await expectThanks(page);
  await page.goto('/pages/wall-feed.html?token=secret');
  await expect(page.getByText('No published praise yet.', { exact: false })).toBeVisible();
  const { referers, received } = await log(request) as Log & { referers: (string | null)[] };
  expect(received).toHaveLength(1);
  expect(referers).toEqual([null, null]);
});

// Issue 12, defect 11: the owner changed data-endpoint while a visitor had a submission queued for
// the old one. It is delivered to the endpoint it was made for (within the outbox's bound), then
// its outbox is gone: nothing with personal data is left behind for ever.
test('a submission queued for a previous endpoint is delivered there, then its outbox is removed', async ({ page, request }) => {
  const OLD = `${POSTS}?previous=1`;
  await page.goto('/pages/live.html');
  await page.evaluate((old) => {
    const envelope = JSON.stringify({
      type: 'staff_recognition.submitted', schema_version: 1, id: 'orphan-1',
      data: { staff_name: 'Maribel', story: 'Queued before the owner moved the endpoint.' },
      signals: { honeypot: '', fill_time_ms: 9000, attempt: 1 },
    });
    localStorage.setItem(`kudos-widget:outbox:v1:${old}`, JSON.stringify({ entries: [{
      id: 'orphan-1', type: 'staff_recognition.submitted', envelope, failures: 1,
      not_before_ms: 0, endpoint_asked: false,
    }] }));
  }, OLD);
  await page.reload();
  const { accepted: bodies } = await accepted(request, 1);
  expect(bodies[0].id).toBe('orphan-1');
  expect(bodies[0].signals.attempt).toBe(2);
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:outbox:'))))
    .toEqual([]);
});
