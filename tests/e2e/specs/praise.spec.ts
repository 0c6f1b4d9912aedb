// The complete praise widget in a real browser: every state passes axe-core in English and
// French, a keyboard-only visitor can thank someone found through the roster, and nothing scrolls
// sideways on a 320 px phone.
import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers';

const STORY = 'She saw the bag split and repacked everything into two sturdy ones, smiling.';

const LANGS = [
  {
    tag: 'en',
    title: 'Recognize our staff',
    who: 'Who would you like to thank?',
    story: 'What did they do?',
    submit: 'Send my thanks',
    thanks: 'Thank you!',
    publish: /You may publish this praise/,
  },
  {
    tag: 'fr-CA',
    title: 'Soulignez le travail de notre équipe',
    who: 'Qui aimeriez-vous remercier?',
    story: "Qu'a-t-il ou elle fait?",
    submit: 'Envoyer mes remerciements',
    thanks: 'Merci!',
    publish: /Vous pouvez publier ce message/,
  },
];

/** The id of the element focused inside the widget's shadow root. */
async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id ?? '');
}

/** Presses Tab until the element with `id` inside the widget has focus. */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 40; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id} (last: #${await focusedId(page)})`);
}

for (const lang of LANGS) {
  test(`${lang.tag}: empty, error, thanked and wall states have no axe-core violations`, async ({ page }) => {
    await page.goto(`/pages/praise-${lang.tag}.html`);
    await expect(page.getByRole('heading', { name: lang.title })).toBeVisible();
    await expect(page.locator('.kudos-card').first()).toBeVisible();
    await expectNoAxeViolations(page, 'empty + wall');

    await page.getByRole('button', { name: lang.submit }).click();
    await expect(page.locator('.kudos-error-summary')).toBeVisible();
    await expectNoAxeViolations(page, 'error');

    await page.getByLabel(lang.who).fill('Kris');
    await page.getByRole('option', { name: /Christine Roy/ }).click();
    await page.getByLabel(lang.story).fill(STORY);
    await page.getByLabel(lang.publish).check();
    await page.getByRole('button', { name: lang.submit }).click();
    await expect(page.getByRole('heading', { name: lang.thanks })).toBeFocused();
    await expectNoAxeViolations(page, 'thanked');
    await expect(page.locator('.kudos-card').first()).toContainText('Christine Roy');
  });
}

test('a keyboard-only visitor finds a colleague by nickname and sends praise', async ({ page }) => {
  await page.goto('/pages/praise-en.html');
  await expect(page.getByRole('heading', { name: 'Recognize our staff' })).toBeVisible();
  await tabTo(page, 'kudos-staff_name');
  await page.keyboard.type('maggie');
  await expect(page.getByRole('option', { name: /Marguerite Blais/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Who would you like to thank?')).toHaveValue('Marguerite Blais');
  await expect(page.getByLabel('Where did it happen?')).toHaveValue('Eastgate');

  await tabTo(page, 'kudos-story');
  await page.keyboard.type(STORY);
  await tabTo(page, 'kudos-tag-went_extra_mile');
  await page.keyboard.press('Space');
  await tabTo(page, 'kudos-publish_consent');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
  const card = page.locator('.kudos-card').first();
  await expect(card).toContainText('Marguerite Blais');
  await expect(card).toContainText('Customer service desk · Eastgate');
  await expect(card).toContainText('Went the extra mile');
});

test('at 320 px nothing scrolls sideways, in the form or on the wall', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto('/pages/praise-fr-CA.html');
  await expect(page.locator('.kudos-card').first()).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer mes remerciements' }).click();
  await expect(page.locator('.kudos-error-summary')).toBeVisible();
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    widget: (() => {
      const root = document.querySelector('[data-kudos-widget]')!.shadowRoot!;
      return Math.max(
        ...[...root.querySelectorAll('*')].map(
          (el) => el.getBoundingClientRect().right - document.documentElement.clientWidth,
        ),
      );
    })(),
  }));
  expect(overflow.page).toBeLessThanOrEqual(0);
  expect(overflow.widget).toBeLessThanOrEqual(0);
});

test('with an endpoint, the wall comes from data-wall-url, newest first, ten at a time', async ({ page }) => {
  const items = Array.from({ length: 12 }, (_, i) => ({
    id: `w${i}`,
    staff_name: `Staff ${i}`,
    staff_role: 'Cashier',
    location: 'Harbour Road',
    occurred_on: `2026-10-${String(i + 1).padStart(2, '0')}`,
    tags: ['genuine_warmth'],
    story: `Story number ${i}, long enough to be worth publishing.`,
    created_at: `2026-10-${String(i + 1).padStart(2, '0')}T12:00:00.000Z`,
  }));
  await page.route('**/api/wall.json', (route) =>
    route.fulfill({ json: items, headers: { 'Cache-Control': 'no-store' } }),
  );
  await page.goto('/pages/praise-live-wall.html');
  const cards = page.locator('.kudos-card');
  await expect(cards).toHaveCount(10);
  await expect(cards.first()).toContainText('Staff 11');
  await expect(cards.first()).toContainText('Cashier · Harbour Road');
  await expect(cards.first()).toContainText('Genuine warmth');
  await expect(cards.first()).toContainText('October 12, 2026');
  await expect(page.locator('form')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show more praise' }).click();
  await expect(cards).toHaveCount(12);
  await expect(cards.last()).toContainText('Staff 0');
});

test('the submitting state has no axe-core violations and announces itself', async ({ page }) => {
  await page.goto('/pages/praise-slow.html');
  const widget = page.locator('[data-kudos-widget]');
  await widget.getByLabel('Who would you like to thank?').fill('Dev');
  await widget.getByLabel('What did they do?').fill(STORY);
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(widget.getByRole('button', { name: 'Sending your thanks…' })).toBeVisible();
  await expect(widget.getByRole('status').filter({ hasText: 'Sending your thanks…' })).toHaveCount(1);
  await expectNoAxeViolations(page, 'submitting');
  await expect(widget.getByRole('heading', { name: 'Thank you!' })).toBeFocused({ timeout: 10_000 });
});

// Issue 12, defect 4: one item of the demo store that this version cannot read (another
// version's, or edited by hand) must not empty the wall, and the next submission must not
// overwrite it or anything else in the store.
test('an unreadable item in the demo store is skipped on the wall and kept on the next write', async ({ page }) => {
  const KEY = 'kudos-widget:demo:submissions:v1';
  const ODD = '{"type":"staff_recognition.submitted","id":5,"from":"another version"}';
  await page.goto('/pages/praise-en.html');
  await page.getByLabel('Who would you like to thank?').fill('Kris');
  await page.getByRole('option', { name: /Christine Roy/ }).click();
  await page.getByLabel('What did they do?').fill(STORY);
  await page.getByLabel(/You may publish this praise/).check();
  await page.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
  await page.evaluate(([key, odd]) => {
    const text = localStorage.getItem(key)!;
    localStorage.setItem(key, `[${odd},${text.slice(1)}`);
  }, [KEY, ODD]);

  await page.reload();
  await expect(page.locator('.kudos-card').first()).toContainText('Christine Roy');
  await page.getByLabel('Who would you like to thank?').fill('Maggie');
  await page.getByLabel('What did they do?').fill(`${STORY} Again.`);
  await page.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
  const stored = await page.evaluate((key) => localStorage.getItem(key)!, KEY);
  expect(stored.startsWith(`[${ODD},`)).toBe(true);
  const items = JSON.parse(stored) as { data?: { story: string } }[];
  expect(items.map((item) => item.data?.story ?? null)).toEqual([null, STORY, `${STORY} Again.`]);
});

// Issue 12, defect 9: a restored draft brings back what the visitor typed, never a ticked consent
// (a consent is given now, to the wording shown now); a draft older than a week is forgotten.
test('a restored draft keeps the text but never a ticked consent; a week-old draft is forgotten', async ({ page }) => {
  const KEY = 'kudos-widget:draft:praise:v2:demo';
  await page.goto('/pages/praise-en.html');
  await page.getByLabel('What did they do?').fill(STORY);
  await page.getByLabel(/You may publish this praise/).check();
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), KEY)).toContain('saved_at_ms');
  await page.reload();
  await expect(page.getByLabel('What did they do?')).toHaveValue(STORY);
  await expect(page.getByLabel(/You may publish this praise/)).not.toBeChecked();

  // Eight days later.
  await page.evaluate((key) => {
    const pairs = JSON.parse(localStorage.getItem(key)!) as [string, string][];
    const dated = pairs.map(([name, value]) =>
      [name, name === 'saved_at_ms' ? String(Date.now() - 8 * 24 * 3600 * 1000) : value]);
    localStorage.setItem(key, JSON.stringify(dated));
  }, KEY);
  await page.reload();
  await expect(page.getByLabel('What did they do?')).toHaveValue('');
  expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
});

// Issue 12, defect 9: a draft belongs to the site it was typed for (its endpoint, or the demo),
// not to every widget on the origin; drafts past their week (or undated, from before) are
// removed from storage on the next mount, wherever they were kept.
test('a draft typed for one endpoint is not offered on another widget of the origin; stale drafts are removed', async ({ page }) => {
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:draft:')));
  await page.goto('/pages/live.html');
  await page.getByLabel('What did they do?').fill(STORY);
  await expect.poll(drafts).toEqual([`kudos-widget:draft:praise:v2:http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173) + 10}/kudos`]);
  await page.goto('/pages/praise-en.html');
  await expect(page.getByLabel('What did they do?')).toBeVisible();
  await expect(page.getByLabel('What did they do?')).toHaveValue('');

  await page.evaluate(() => localStorage.setItem('kudos-widget:draft:praise:v1', '[["story","typed long ago"]]'));
  await page.reload();
  await expect(page.getByLabel('What did they do?')).toBeVisible();
  await expect.poll(drafts).toHaveLength(1);
  expect((await drafts())[0]).toContain(':v2:http');
});

// Demo mode reaches no server: the page's data-staff-url is answered by the demo's made-up
// roster, and not one request leaves for it (the demo transport used to fetch it over HTTP).
test('demo mode finds a colleague from data-staff-url without requesting it', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('staff.json')) requested.push(request.url());
  });
  await page.goto('/pages/praise-en.html');
  await page.getByLabel('Who would you like to thank?').fill('Maggie');
  await expect(page.getByRole('option', { name: /Marguerite Blais/ })).toBeVisible();
  await page.getByLabel('Who would you like to thank?').fill('Kris');
  await expect(page.getByRole('option', { name: /Christine Roy/ })).toBeVisible();
  expect(requested).toEqual([]);
});
