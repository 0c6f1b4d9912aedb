// kudos-server listens 20 ports above this page's server (see receiver.spec.ts): the form posts to
// it and the wall reads its paged feed.
const port = Number(location.port) + 20;
window.Kudos.mount(document.getElementById('kudos'), {
  endpoint: `http://127.0.0.1:${port}/v1/submissions`,
  'wall-url': `http://127.0.0.1:${port}/v1/wall`,
  lang: 'en',
});
