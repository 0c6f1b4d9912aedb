// The newsletter form in a real browser: every state passes axe-core in English and French, a
// keyboard-only visitor can subscribe, and the compact footer variant fits a 320 px phone.
import { test, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../helpers';


const LANGS = [
  { tag: 'en', email: 'Email address', submit: 'Subscribe', confirm: 'Check your inbox to confirm', consentError: 'Please tick the box' },
  { tag: 'fr-CA', email: 'Adresse courriel', submit: "M'abonner", confirm: 'Vérifiez votre boîte de réception', consentError: 'Veuillez cocher la case' },
];

/** The first (inline) widget on the page. */
const inline = (page: Page) => page.locator('[data-kudos-widget]').first();

for (const lang of LANGS) {
  test(`${lang.tag}: empty, error, suggestion and confirmed states have no axe-core violations`, async ({ page }) => {
    await page.goto(`/pages/newsletter-${lang.tag}.html`);
    const form = inline(page);
    await expect(form.getByLabel(lang.email)).toBeVisible();
    await expectNoAxeViolations(page, 'empty');

    await form.getByLabel(lang.email).fill('ana@gmial.com');
    await form.getByRole('button', { name: lang.submit }).click();
    await expect(form.locator('#kudos-newsletter-consent-error')).toContainText(lang.consentError);
    await expect(form.locator('.kudos-suggestion')).toContainText('ana@gmail.com');
    await expectNoAxeViolations(page, 'error + suggestion');

    await form.locator('.kudos-suggestion button').click();
    await form.locator('#kudos-newsletter-consent').check();
    await form.getByRole('button', { name: lang.submit }).click();
    await expect(form.getByRole('heading', { name: lang.confirm })).toBeFocused();
    await expectNoAxeViolations(page, 'confirmed');
  });
}

test('a keyboard-only visitor subscribes to a list', async ({ page }) => {
  await page.goto('/pages/newsletter-en.html');
  const form = inline(page);
  await expect(form.getByLabel('Email address')).toBeVisible();
  // From the top of the page, Tab reaches the email field first.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id);
    if (id === 'kudos-newsletter-email') break;
  }
  await page.keyboard.type('ana@shop.example');
  await page.keyboard.press('Tab'); // first name
  await page.keyboard.type('Ana');
  await page.keyboard.press('Tab'); // first list
  await page.keyboard.press('Tab'); // second list
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // consent
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // privacy link
  await page.keyboard.press('Tab'); // subscribe
  await page.keyboard.press('Enter');
  await expect(form.getByRole('heading', { name: 'Check your inbox to confirm' })).toBeFocused();
  await expect(form).not.toContainText('Ana');
  const stored = await page.evaluate(() => localStorage.getItem('kudos-widget:demo:submissions:v1'));
  expect(stored).toContain('"lists":["recipes"]');
  expect(stored).toContain('"type":"newsletter.subscription_requested"');
});

test('the compact footer variant fits 320 px and subscribes', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto('/pages/newsletter-fr-CA.html');
  const footer = page.locator('[data-kudos-widget]').nth(1);
  await expect(footer.locator('.kudos-newsletter-compact')).toBeVisible();
  await expect(footer.getByLabel('Prénom')).toHaveCount(0);
  await footer.getByLabel('Adresse courriel').fill('zoe@exemple.ca');
  await footer.locator('#kudos-newsletter-consent').check();
  await footer.getByRole('button', { name: "M'abonner" }).click();
  await expect(footer.getByRole('heading', { name: 'Vérifiez votre boîte de réception' })).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page, 'compact, 320 px');
});
