// kudos-server listens 23 ports above this page's server (see subscribe.spec.ts): the newsletter
// form posts its sign-ups there, live. company and contact are the server's too, so that it can
// rebuild the exact consent wording this form shows.
const port = Number(location.port) + 23;
window.Kudos.mount(document.getElementById('kudos'), {
  widget: 'newsletter',
  endpoint: `http://127.0.0.1:${port}/v1/submissions`,
  lang: 'en',
  company: 'Larch Street Market',
  contact: '12 Larch Street, Halifax NS, hello@larchstreet.example',
  lists: 'weekly:Weekly deals, recipes:Seasonal recipes',
});
