// Issue 12's outboxes left for a previous endpoint meet issue 15's services: what was queued for a
// Formspree form the owner has since replaced still goes to that form, in Formspree's shape.
import { test, expect } from '@playwright/test';

// The service is recognised from the host (Formspree needs no key); formspree.io itself is
// answered by request interception.
test('praise queued for a previous Formspree form is delivered there in Formspree\'s shape', async ({ page }) => {
  const OLD = 'https://formspree.io/f/previous';
  const posted: Record<string, unknown>[] = [];
  await page.route('https://formspree.io/**', async (route) => {
    if (route.request().method() === 'OPTIONS') {
      await route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type, Accept', 'Access-Control-Allow-Methods': 'POST' } });
      return;
    }
    posted.push(JSON.parse(route.request().postData() ?? '{}'));
    await route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ next: 'https://formspree.io/thanks', ok: true }) });
  });
  // The page now delivers to a Basin form (nothing is queued for it, so it is never posted to).
  await page.goto(`/pages/providers.html?${new URLSearchParams({ provider: 'basin', endpoint: '/basin/f/current' })}`);
  await page.evaluate((old) => {
    const envelope = JSON.stringify({
      type: 'staff_recognition.submitted', schema_version: 1, id: 'orphan-fs-1',
      data: { staff_name: 'Maribel', story: 'Queued before the owner moved to Basin.' },
      consent: {}, signals: { honeypot: '', fill_time_ms: 9000, attempt: 1 },
    });
    localStorage.setItem(`kudos-widget:outbox:v1:${old}`, JSON.stringify({ entries: [{
      id: 'orphan-fs-1', type: 'staff_recognition.submitted', envelope, failures: 1,
      not_before_ms: 0, endpoint_asked: false,
    }] }));
  }, OLD);
  await page.reload();
  await expect.poll(() => posted.length, { timeout: 10_000 }).toBe(1);
  expect(posted[0]).toEqual({ _subject: 'Praise for Maribel', staff: 'Maribel', story: 'Queued before the owner moved to Basin.', id: 'orphan-fs-1', _gotcha: '' });
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:outbox:'))))
    .toEqual([]);
});
