// The example receiver listens 20 ports above this page's server (see example-receiver.spec.ts).
const port = Number(location.port) + 20;
window.Kudos.mount(document.getElementById('kudos'), {
  endpoint: `http://127.0.0.1:${port}/kudos`,
  show: 'form',
  lang: 'en',
});
