// Embedding on pages we have never seen (issue #6): hostile CSS, strict CSP, a CSP that blocks
// wasm, <base href>, the loader included twice, two widgets, an SPA mounting 50 times, live theme
// and locale changes, events, prefill and lazy loading. Host pages are in ../pages/.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { collect } from '../helpers';

const STORY = 'He carried three heavy bags to my car in the rain and would not take a tip.';
const TITLE = 'Recognize our staff';

async function sendPraise(scope: Page | Locator, page: Page) {
  await scope.getByLabel('Who would you like to thank?').fill('Tomasz');
  await scope.getByLabel('What did they do?').fill(STORY);
  await scope.getByRole('button', { name: 'Send my thanks' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeFocused();
}

/** Share of pixels that differ (any channel by more than 16) between two PNGs of equal size;
 * 1 when the sizes differ. Decoded by the browser itself, so no PNG library is needed. */
async function pixelDifference(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(async ([a, b]) => {
    const decode = async (base64: string) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      return context.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const [x, y] = [await decode(a), await decode(b)];
    if (x.width !== y.width || x.height !== y.height) return 1;
    let differing = 0;
    for (let i = 0; i < x.data.length; i += 4) {
      if ([0, 1, 2, 3].some((c) => Math.abs(x.data[i + c] - y.data[i + c]) > 16)) differing++;
    }
    return differing / (x.width * x.height);
  }, [a.toString('base64'), b.toString('base64')]);
}

test('on a page with every reset (all: unset, :empty, 62.5% rem, hidden buttons, rtl, a host form) the widget looks as on a plain page', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/plain.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  const reference = await page.locator('.kudos-widget').screenshot();

  await page.goto('/pages/resets.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send my thanks' })).toBeVisible();
  const hostile = await page.locator('.kudos-widget').screenshot();
  expect(await pixelDifference(page, reference, hostile)).toBeLessThan(0.001);

  // The host page's <form> around the widget never submits: the widget's form is its own.
  let hostSubmitted = false;
  page.on('request', (request) => {
    if (request.url().includes('submitted-to-host')) hostSubmitted = true;
  });
  await sendPraise(page, page);
  expect(hostSubmitted).toBe(false);
  expect(new URL(page.url()).pathname).toBe('/pages/resets.html');
  expect(errors).toEqual([]);
});

test('under a strict CSP (no unsafe-inline, no unsafe-eval) the widget works, accent included', async ({ page }) => {
  const errors = collect(page);
  const response = await page.goto('/pages/csp-strict.html');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  // data-accent="#ffd400": a yellow that needs near-black text, applied by an adopted stylesheet.
  const button = page.getByRole('button', { name: 'Send my thanks' });
  expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 212, 0)');
  expect(await button.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(17, 20, 24)');
  await sendPraise(page, page);
  // A CSP violation would show up as a console error.
  expect(errors).toEqual([]);
});

test('when the CSP blocks WebAssembly the host shows a readable fallback and the console names the directive', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/csp-no-wasm.html');
  const host = page.locator('[data-kudos-widget]');
  await expect(host.getByText('The form could not load.')).toBeVisible();
  await expect(host.getByRole('link', { name: 'Open the form' })).toHaveAttribute('href', 'https://forms.example/kudos');
  const ours = errors.filter((e) => e.startsWith('[kudos-widget]'));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toContain("add 'wasm-unsafe-eval' to script-src");
});

test('the fallback speaks the widget\'s language', async ({ page }) => {
  await page.goto('/pages/csp-no-wasm-fr.html');
  const host = page.locator('[data-kudos-widget]');
  await expect(host.getByText('Le formulaire n’a pas pu se charger.')).toBeVisible();
  await expect(host.getByRole('link', { name: 'Ouvrir le formulaire' })).toHaveAttribute('href', 'https://forms.example/kudos');
});

test('a <base href> elsewhere does not redirect the widget assets', async ({ page }) => {
  const errors = collect(page);
  const misdirected: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/nowhere/')) misdirected.push(request.url());
  });
  await page.goto('/pages/base-href.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(misdirected).toEqual([]);
  expect(errors).toEqual([]);
});

test('the loader included three times defines Kudos once, loads the wasm once and places one widget per data-* tag', async ({ page }) => {
  const errors = collect(page);
  const assets: string[] = [];
  page.on('request', (request) => {
    if (/kudos-widget(_bg\.wasm|\.js)$/.test(request.url())) assets.push(new URL(request.url()).pathname);
  });
  await page.goto('/pages/twice.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  // The second widget is below the fold: it loads when scrolled near (from the cached module).
  await page.locator('[data-kudos-widget]').nth(1).scrollIntoViewIfNeeded();
  await expect(page.locator('.kudos-wall')).toBeVisible();
  await expect(page.locator('[data-kudos-widget]')).toHaveCount(2);
  expect(await page.evaluate(() => (window as any).kudosAfterFirst === (window as any).Kudos)).toBe(true);
  expect(assets.sort()).toEqual(['/kudos-widget.js', '/kudos-widget_bg.wasm']);
  expect(errors).toEqual([]);
});

test('two <kudos-widget> elements keep their own config: language, theme, accent, show, inline roster', async ({ page }) => {
  const errors = collect(page);
  const warnings = collect(page, 'warning');
  await page.goto('/pages/two-widgets.html');
  const first = page.locator('#first');
  const second = page.locator('#second');
  await expect(first.getByRole('heading', { name: 'Soulignez le travail de notre équipe' })).toBeVisible();
  await second.scrollIntoViewIfNeeded();
  await expect(second.locator('.kudos-wall')).toBeVisible();
  await expect(second.locator('form')).toHaveCount(0);
  await expect(first).toHaveAttribute('data-kudos-theme', 'dark');
  await expect(second).toHaveAttribute('data-kudos-theme', 'light');
  expect(await first.locator('.kudos-root').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(21, 25, 30)');
  expect(await second.locator('.kudos-root').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
  const button = first.getByRole('button', { name: 'Envoyer mes remerciements' });
  expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 212, 0)');
  // The roster came from the element's <script type="application/json"> child.
  await first.locator('#kudos-staff_name').fill('Chris');
  await expect(first.getByRole('option', { name: /Christine Roy/ })).toBeVisible();
  expect(errors).toEqual([]);
  expect(warnings).toEqual([]);
});

test('an SPA mounting and unmounting 50 times leaves no listeners and no nodes behind', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/spa.html');
  const cdp = await page.context().newCDPSession(page);
  const cycle = (times: number) => page.evaluate(async (times) => {
    const outlet = document.getElementById('outlet')!;
    for (let i = 0; i < times; i++) {
      // Through the JS API …
      const handle = (window as any).Kudos.mount(outlet, { mode: 'demo', lang: 'en', show: 'form' });
      if (!(await handle.ready)) throw new Error('not mounted');
      handle.unmount();
      // … and as a custom element an SPA's router adds and removes.
      const element = document.createElement('kudos-widget');
      element.setAttribute('mode', 'demo');
      element.setAttribute('show', 'wall');
      const ready = new Promise((resolve) => element.addEventListener('kudos:ready', resolve, { once: true }));
      document.body.append(element);
      await ready;
      element.remove();
    }
  }, times);
  const counters = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return cdp.send('Memory.getDOMCounters');
  };
  const listenersOn = async (expression: string) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return listeners.length;
  };
  // Warm up: the wasm is loaded and instantiated once, whatever happens later.
  await cycle(1);
  await page.evaluate(() => {
    (window as any).attachedNodes = () => {
      const count = (root: Document | ShadowRoot): number => [...root.querySelectorAll('*')]
        .reduce((n, el) => n + 1 + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
      return count(document);
    };
  });
  const attachedBefore = await page.evaluate(() => (window as any).attachedNodes());
  const before = await counters();
  const before_listeners = [await listenersOn('window'), await listenersOn('document'), await listenersOn("document.getElementById('outlet')")];
  await cycle(50);
  const after = await counters();
  const after_listeners = [await listenersOn('window'), await listenersOn('document'), await listenersOn("document.getElementById('outlet')")];
  expect(after_listeners).toEqual(before_listeners);
  // Nothing stays in the page: the same number of elements as before, shadow trees included.
  expect(await page.evaluate(() => (window as any).attachedNodes())).toBe(attachedBefore);
  // Known limit, yew 0.23: an app's root keeps its delegated listeners for the life of the page
  // (HostHandlers::add_listener forgets them: "the registry is never dropped in production"),
  // so each form mount leaves its detached, empty root <div> and ~5 listeners on it in memory.
  // Bounded here so that anything worse (a leak per render, per field, per event) fails.
  const mounts = 100;
  expect(after.jsEventListeners - before.jsEventListeners).toBeLessThanOrEqual(mounts * 6);
  expect(after.nodes - before.nodes).toBeLessThanOrEqual(mounts);
  expect(await page.locator('kudos-widget').count()).toBe(0);
  expect(await page.evaluate(() => document.getElementById('outlet')!.shadowRoot!.childNodes.length)).toBe(0);
  expect(errors).toEqual([]);
});

test('events fire on the host in order, bubble out of the shadow root and carry no personal data', async ({ page }) => {
  await page.goto('/pages/spa.html');
  await page.evaluate(() => {
    (window as any).seen = [];
    for (const type of ['kudos:ready', 'kudos:submit', 'kudos:success', 'kudos:queued', 'kudos:error']) {
      // On document: the events bubble and are composed.
      document.addEventListener(type, (event) => {
        (window as any).seen.push([type, JSON.stringify((event as CustomEvent).detail), (event.target as Element).id]);
      });
    }
    (window as any).handle = (window as any).Kudos.mount(document.getElementById('outlet'), { mode: 'demo', lang: 'en', show: 'form' });
  });
  await sendPraise(page.locator('#outlet'), page);
  const seen = await page.evaluate(() => (window as any).seen);
  expect(seen.map((s: string[]) => s[0])).toEqual(['kudos:ready', 'kudos:submit', 'kudos:success']);
  for (const [, detail, target] of seen) {
    expect(target).toBe('outlet');
    expect(JSON.parse(detail)).toEqual({ widget: 'praise', mode: 'demo' });
    expect(detail).not.toContain('Tomasz');
  }

  // A refused delivery: the test server answers POST with 405.
  await page.evaluate(() => {
    (window as any).handle.unmount();
    (window as any).seen = [];
    (window as any).Kudos.mount(document.getElementById('outlet'), { endpoint: '/api/kudos', lang: 'en', show: 'form' });
  });
  await page.getByLabel('Who would you like to thank?').fill('Tomasz');
  await page.getByLabel('What did they do?').fill(STORY);
  await page.getByRole('button', { name: 'Send my thanks' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).seen.map((s: string[]) => s[0])))
    .toEqual(['kudos:ready', 'kudos:submit', 'kudos:error']);
  const detail = await page.evaluate(() => JSON.parse((window as any).seen[2][1]));
  expect(detail).toEqual({ widget: 'praise', mode: 'live', reason: 'refused' });
});

test('theme and locale change live: auto follows the system, setTheme and setLocale need no remount', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/pages/spa.html');
  await page.evaluate(() => {
    (window as any).handle = (window as any).Kudos.mount(document.getElementById('outlet'), { mode: 'demo', lang: 'en', theme: 'auto' });
  });
  const root = page.locator('#outlet .kudos-root');
  const background = () => root.evaluate((el) => getComputedStyle(el).backgroundColor);
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(await background()).toBe('rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(background).toBe('rgb(21, 25, 30)');
  await page.evaluate(() => (window as any).handle.setTheme('light'));
  await expect.poll(background).toBe('rgb(255, 255, 255)');
  await page.evaluate(() => (window as any).handle.setTheme('dark'));
  await expect.poll(background).toBe('rgb(21, 25, 30)');

  // What the visitor typed survives a language switch.
  await page.getByLabel('What did they do?').fill(STORY);
  await page.evaluate(() => (window as any).handle.setLocale('fr-CA'));
  await expect(page.getByRole('heading', { name: 'Soulignez le travail de notre équipe' })).toBeVisible();
  await expect(page.locator('#outlet textarea')).toHaveValue(STORY);
  expect(await page.locator('#outlet .kudos-root').count()).toBe(1);
});

test('forced colors and reduced motion are honoured', async ({ page }) => {
  await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
  await page.goto('/pages/plain.html');
  const button = page.getByRole('button', { name: 'Send my thanks' });
  await expect(button).toBeVisible();
  // In forced colors the button keeps a visible border in the system's ButtonText colour.
  const border = await button.evaluate((el) => getComputedStyle(el).borderTopStyle);
  expect(border).toBe('solid');
  expect(await button.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
});

test('?kudos-staff= preselects a staff member and prefill() fills the form', async ({ page }) => {
  await page.goto('/pages/prefill.html?kudos-staff=c1');
  await expect(page.locator('#kudos-staff_name')).toHaveValue('Christine Roy');

  await page.goto('/pages/spa.html');
  await page.evaluate(() => {
    const handle = (window as any).Kudos.mount(document.getElementById('outlet'), {
      mode: 'demo', lang: 'en', show: 'form', locations: 'Larch Street, Harbour Road',
      staff: [{ id: 't2', name: 'Tomasz Nowak', role: 'Baker' }],
    });
    // Called before the wasm is there: the handle queues it.
    handle.prefill({ staff: 't2', location: 'Harbour Road' });
  });
  await expect(page.locator('#kudos-staff_name')).toHaveValue('Tomasz Nowak');
  await expect(page.getByLabel(/Where/)).toHaveValue('Harbour Road');
});

test('the wasm loads only when the widget nears the viewport, and the host reserves height meanwhile', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url());
  });
  await page.goto('/pages/lazy.html');
  await page.waitForTimeout(500);
  expect(wasm).toEqual([]);
  const host = page.locator('[data-kudos-widget]');
  expect((await host.boundingBox())!.height).toBeGreaterThanOrEqual(1000);
  await host.scrollIntoViewIfNeeded();
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(wasm).toHaveLength(1);
});

test('unknown and invalid options warn once each per mount, naming the attribute and the accepted values', async ({ page }) => {
  const warnings = collect(page, 'warning');
  await page.goto('/pages/spa.html');
  await page.evaluate(async () => {
    const handle = (window as any).Kudos.mount(document.getElementById('outlet'), { mode: 'demo', colour: 'red', theme: 'sepia' });
    await handle.ready;
    handle.setLocale('en');
  });
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toContain('data-colour is not a kudos-widget option');
  expect(warnings[1]).toContain('data-theme="sepia" is not accepted ("light", "dark", "auto")');
});

// Issue 12, defect 13: the loader's failure path must not throw on a bad data-fallback-url (it
// left "Loading…" at 1440 px), and an unrelated window.Kudos of the host page is kept, with a word.
test('a CSP blocking wasm with an invalid fallback-url still shows the note, without a link', async ({ page }) => {
  const errors = collect(page);
  await page.goto('/pages/csp-no-wasm-bad-fallback.html');
  const host = page.locator('[data-kudos-widget]');
  await expect(host.getByText('The form could not load.')).toBeVisible();
  await expect(host.getByRole('link')).toHaveCount(0);
  await expect(host.getByText('Loading…')).toHaveCount(0);
  expect((await host.boundingBox())!.height).toBeLessThan(200);
  expect(errors.filter((e) => !e.startsWith('[kudos-widget]'))).toEqual([]);
});

test("the host page's own window.Kudos is kept, with a warning, and the widget still mounts", async ({ page }) => {
  const warnings = collect(page, 'warning');
  await page.goto('/pages/kudos-taken.html');
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(await page.evaluate(() => (window as any).Kudos.award(21))).toBe(42);
  expect(warnings.filter((w) => w.includes('window.Kudos'))).toHaveLength(1);
});

// Issue 12, defect 10: a prefill (from ?kudos-staff= or handle.prefill()) is not the visitor
// acting: nothing is stored until they type, and the fill-time clock starts then too.
test('?kudos-staff= and prefill() store nothing until the visitor types', async ({ page }) => {
  const keys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kudos-widget:')));
  await page.goto('/pages/prefill.html?kudos-staff=c1');
  await expect(page.locator('#kudos-staff_name')).toHaveValue('Christine Roy');
  await page.waitForTimeout(300);
  expect(await keys()).toEqual([]);

  await page.goto('/pages/spa.html');
  await page.evaluate(() => {
    const handle = (window as any).Kudos.mount(document.getElementById('outlet'), {
      mode: 'demo', lang: 'en', show: 'form', locations: 'Larch Street, Harbour Road',
      staff: [{ id: 't2', name: 'Tomasz Nowak', role: 'Baker' }],
    });
    handle.prefill({ staff: 't2', location: 'Harbour Road' });
  });
  await expect(page.getByLabel(/Where/)).toHaveValue('Harbour Road');
  await page.waitForTimeout(300);
  expect(await keys()).toEqual([]);
  // The visitor's first keystroke keeps the draft, prefilled values included.
  await page.getByLabel('What did they do?').fill(STORY);
  await expect.poll(keys).toEqual(['kudos-widget:draft:praise:v2:demo']);
  const draft = await page.evaluate(() => localStorage.getItem('kudos-widget:draft:praise:v2:demo')!);
  expect(draft).toContain('Harbour Road');
});
