// The foundation slice, end to end against the release build: the pasted script tag mounts the
// widget on a hostile page, a visitor sends praise, the wall keeps it across a reload, a bad
// config fails loudly and cleanly, and axe-core finds nothing to fix.
import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, collect } from '../helpers';

const STORY = 'He carried three heavy bags to my car in the rain and would not take a tip.';

async function sendPraise(page: Page, staff: string, publish: boolean) {
  await page.getByLabel('Who would you like to thank?').fill(staff);
  await page.getByLabel('What did they do?').fill(STORY);
  if (publish) await page.getByLabel(/You may publish this praise/).check();
  await page.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
}

test('on a page with `* { all: unset }` and `div:empty { display: none }` the widget shows and works', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/hostile.html');
  const host = page.locator('[data-kudos-widget]');
  await expect(page.getByRole('heading', { name: 'Recognize our staff' })).toBeVisible();
  // The host stays a visible block despite both rules.
  const box = await host.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThan(200);
  expect(await host.evaluate((el) => getComputedStyle(el).display)).toBe('block');

  await sendPraise(page, 'Tomasz', true);
  const card = page.locator('.kudos-card').filter({ hasText: 'Tomasz' });
  await expect(card).toContainText(STORY);

  await page.reload();
  await expect(page.locator('.kudos-card').filter({ hasText: 'Tomasz' })).toContainText(STORY);
  expect(errors).toEqual([]);
});

test('praise without publish consent is thanked but never shown on the wall', async ({ page }) => {
  await page.goto('/pages/hostile.html');
  await sendPraise(page, 'Priya', false);
  // The wall holds only the six made-up demo items, before and after a reload.
  await expect(page.locator('.kudos-card')).toHaveCount(6);
  await page.reload();
  await expect(page.locator('.kudos-card')).toHaveCount(6);
  await expect(page.locator('.kudos-wall')).not.toContainText('Priya');
});

test('invalid input is explained next to each field and focus moves to the first one', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('What did they do?').fill('Nice.');
  await page.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(page.getByLabel('Who would you like to thank?')).toBeFocused();
  await expect(page.locator('#kudos-staff_name-error')).toHaveText('Please fill this in.');
  await expect(page.locator('#kudos-story-error')).toHaveText('Please write at least 20 characters.');
  await expect(page.getByLabel('What did they do?')).toHaveValue('Nice.');
  await expectNoAxeViolations(page);
});

test('a javascript: endpoint logs one error naming data-endpoint and mounts nothing', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/bad-endpoint.html');
  await expect.poll(() => errors.length).toBeGreaterThan(0);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('[kudos-widget] data-endpoint="javascript:alert(1)"');
  await expect(page.locator('[data-kudos-widget]')).toHaveCount(0);
  await expect(page.locator('form')).toHaveCount(0);
});

test('the demo page loads without console errors and passes axe-core, empty and thanked', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Recognize our staff' })).toBeVisible();
  await expect(page.locator('.kudos-card').first()).toBeVisible();
  await expectNoAxeViolations(page);

  await sendPraise(page, 'Maribel', true);
  await expect(page.locator('.kudos-card').filter({ hasText: 'Maribel' })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});
