// The snippet configurator: one options object feeds both the snippet text and the live preview
// (Kudos.mount), so the two cannot disagree.
'use strict';

const form = document.getElementById('options');
const snippet = document.getElementById('snippet');
const preview = document.getElementById('preview');
const DEFAULTS = { widget: 'praise', show: 'both', variant: 'inline', mode: 'demo', theme: 'light', accent: '#1f5fbf' };
// Options that only mean something for one widget, or one mode.
const ONLY = { show: 'praise', variant: 'newsletter', company: 'newsletter', contact: 'newsletter',
  'privacy-url': 'newsletter', 'staff-url': 'praise', locations: 'praise', tags: 'praise', endpoint: 'live',
  provider: 'live', 'provider-key': 'live' };

/** The chosen options, without defaults and without what the chosen widget does not use. */
function chosenOptions() {
  const values = Object.fromEntries(new FormData(form));
  const options = {};
  for (const [name, raw] of Object.entries(values)) {
    const value = String(raw).trim();
    const scope = ONLY[name];
    // The widget is always named: a pasted tag should say what it shows.
    if (!value || (value === DEFAULTS[name] && name !== 'widget')) continue;
    if (scope && scope !== values.widget && scope !== values.mode) continue;
    if (name === 'mode') continue; // an endpoint alone means live; demo is the default
    options[name] = value;
  }
  if (values.mode === 'demo') options.mode = 'demo';
  return options;
}

/** Escapes a value for a double-quoted HTML attribute. */
const attr = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The tag to paste: the loader's absolute URL and one data-* attribute per option. */
function snippetFor(options) {
  const src = new URL('kudos.js', location.href).href;
  const lines = Object.entries(options).map(([name, value]) => `  data-${name}="${attr(value)}"`);
  return `<script src="${src}"\n${lines.join('\n')}></script>`;
}

let handle = null;
function render() {
  const options = chosenOptions();
  for (const label of form.querySelectorAll('[data-for]')) {
    const scope = label.dataset.for;
    label.hidden = scope !== form.widget.value && scope !== form.mode.value;
  }
  snippet.textContent = snippetFor(options);
  // A fresh host each time: the old widget goes with its listeners.
  if (handle) handle.unmount();
  const host = document.createElement('div');
  preview.replaceChildren(host);
  // An option the widget refuses (a newsletter service on the praise widget, a missing key)
  // mounts nothing: say why instead of leaving the preview empty.
  try {
    handle = window.Kudos.mount(host, { ...options });
  } catch (error) {
    handle = null;
    host.textContent = String(error && error.message ? error.message : error);
  }
}

form.addEventListener('input', render);
form.addEventListener('change', render);
document.getElementById('copy').addEventListener('click', async () => {
  const status = document.getElementById('copy-status');
  try {
    await navigator.clipboard.writeText(snippet.textContent);
    status.textContent = 'Copied.';
  } catch (error) {
    status.textContent = 'Copy failed: select the snippet and copy it by hand.';
  }
});
render();
