// Demo data tools: read the widget's demo store (one localStorage key holding every envelope as it
// would have been posted), export it, clear it, and mount a form that simulates failures.
'use strict';

const KEY = 'kudos-widget:demo:submissions:v1';
const status = document.getElementById('tools-status');

function stored() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '[]');
  } catch (error) {
    return [];
  }
}

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

function list() {
  const all = stored();
  const praise = all.filter((e) => e.type === 'staff_recognition.submitted');
  const newsletter = all.filter((e) => e.type === 'newsletter.subscription_requested');
  document.getElementById('praise-list').replaceChildren(
    ...(praise.length ? praise.map((e) => item(
      `${e.created_at.slice(0, 10)} · ${e.data.staff_name || e.data.staff_description}: ` +
      `${e.data.story} (${e.consent.publish && e.consent.publish.granted ? 'may be published' : 'private'})`,
    )) : [item('No praise sent from this browser yet.')]),
  );
  document.getElementById('newsletter-list').replaceChildren(
    ...(newsletter.length ? newsletter.map((e) => item(
      `${e.created_at.slice(0, 10)} · ${e.data.email}` + (e.data.lists.length ? ` (${e.data.lists.join(', ')})` : ''),
    )) : [item('No subscriptions from this browser yet.')]),
  );
}

document.getElementById('export').addEventListener('click', () => {
  const blob = new Blob([JSON.stringify(stored(), null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'kudos-demo-data.json';
  link.click();
  URL.revokeObjectURL(link.href);
  status.textContent = 'Exported.';
});

document.getElementById('clear').addEventListener('click', () => {
  localStorage.removeItem(KEY);
  list();
  status.textContent = 'Cleared.';
});

let handle = null;
function mountFailureForm() {
  if (handle) handle.unmount();
  const host = document.createElement('div');
  document.getElementById('failure-preview').replaceChildren(host);
  const failure = document.getElementById('failure').value;
  handle = window.Kudos.mount(host, { mode: 'demo', show: 'form', 'demo-fail': failure, 'demo-latency': '600' });
}

document.getElementById('failure').addEventListener('change', mountFailureForm);
window.addEventListener('storage', list);
document.addEventListener('kudos:success', list);
list();
mountFailureForm();
