// The demo site as a site owner meets it: every page loads cleanly and passes axe-core, praise
// sent on the demo page lands on its wall, the configurator's snippet renders the same widget on
// a blank page, the copy button copies it, and the suite keeps the README's screenshots current.
// (`__dirname`, not `import.meta.url`: Playwright runs these specs as CommonJS.)
import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, collect } from '../helpers';
import path from 'node:path';

const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');
const DEMO_PAGES = ['/', '/configurator.html', '/demo-data.html'];

for (const url of DEMO_PAGES) {
  test(`${url} loads without console errors and passes axe-core`, async ({ page }) => {
    const errors = collect(page);
    await page.goto(url);
    await expect(page.locator('[data-kudos-widget]').first().locator('.kudos-widget')).toBeVisible();
    await expectNoAxeViolations(page, url);
    expect(errors).toEqual([]);
  });
}

test('praise sent on the demo site appears on its wall and in the demo data', async ({ page }) => {
  await page.goto('/');
  const widget = page.locator('[data-kudos-widget]').first();
  await widget.getByLabel('Who would you like to thank?').fill('Teo');
  await widget.getByRole('option', { name: /Teodor Nowak/ }).click();
  await widget.getByLabel('What did they do?').fill('He found a vase for my flowers and wrapped them so they would survive the bus.');
  await widget.getByLabel(/You may publish this praise/).check();
  await widget.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(widget.locator('.kudos-card').first()).toContainText('Teodor Nowak');
  await page.goto('/demo-data.html');
  await expect(page.locator('#praise-list')).toContainText('Teodor Nowak');
});

const OPTION_SETS: Array<Record<string, string>> = [
  { widget: 'praise', show: 'wall', lang: 'fr-CA', theme: 'dark' },
  { widget: 'newsletter', variant: 'compact', company: 'Larch Street Market', accent: '#0a6e3c' },
  { widget: 'praise', show: 'form', tags: 'Kept calm, Fixed it fast', locations: 'Quay, Market Square', lang: 'en' },
];

/** The widget's rendering, to compare two mounts of the same configuration. */
async function rendering(page: Page, host: string) {
  const widget = page.locator(host).locator('.kudos-widget');
  await expect(widget).toBeVisible();
  return page.locator(host).evaluate((el) => ({
    theme: el.getAttribute('data-theme'),
    html: el.shadowRoot!.innerHTML,
  }));
}

for (const [i, options] of OPTION_SETS.entries()) {
  test(`configurator option set ${i + 1}: the snippet renders the preview's widget on a blank page`, async ({ page }) => {
    await page.goto('/configurator.html');
    for (const [name, value] of Object.entries(options)) {
      // Works alike for selects, text and colour inputs: set the value, report the change.
      await page.locator(`#options [name="${name}"]`).evaluate((el, v) => {
        (el as HTMLInputElement).value = v;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, value);
    }
    const snippet = (await page.locator('#snippet').textContent())!;
    for (const [name, value] of Object.entries(options)) {
      expect(snippet).toContain(`data-${name}="${value}"`);
    }
    const preview = await rendering(page, '#preview [data-kudos-widget]');

    await page.route('**/pasted.html', (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title>
        <link rel="icon" href="/favicon.svg"></head><body><main>${snippet}</main></body></html>`,
    }));
    await page.goto('/pasted.html');
    const pasted = await rendering(page, '[data-kudos-widget]');
    expect(pasted).toEqual(preview);
  });
}

test('the copy button puts the snippet on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/configurator.html');
  await page.getByRole('button', { name: 'Copy the snippet' }).click();
  await expect(page.locator('#copy-status')).toHaveText('Copied.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.locator('#snippet').textContent());
  expect(copied).toContain('kudos.js');
});

for (const shot of [
  { name: 'praise-light-en', page: '/pages/praise-en.html' },
  { name: 'praise-dark-en', page: '/pages/praise-dark.html' },
  { name: 'praise-light-fr', page: '/pages/praise-fr-CA.html' },
]) {
  test(`screenshot ${shot.name} for the README`, async ({ page }) => {
    await page.setViewportSize({ width: 760, height: 900 });
    await page.goto(shot.page);
    const host = page.locator('[data-kudos-widget]').first();
    await expect(host.locator('.kudos-card').first()).toBeVisible();
    await host.locator('.kudos-praise').screenshot({ path: path.join(SCREENSHOTS, `${shot.name}.png`), animations: 'disabled' });
  });
}
