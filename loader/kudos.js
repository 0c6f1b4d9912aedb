/*! kudos-widget loader */
// README, "How the embed works", says why it is written this way (and kept under 2 KB gzip).
((w, d) => {
  'use strict';
  // The API lives under w[P] too: a host page's own window.Kudos is kept (README).
  const P = '[kudos-widget] ', me = d.currentScript, K = w[P];
  if (K) return me && K.tag(me);
  if (!me || !me.src) return;
  const url = (f) => new URL(f, me.src).href, glue = url('kudos-widget.js'), handles = new WeakMap();
  // Subresource Integrity: the release build writes the glue's hash here and the wasm's into the
  // glue (xtask/src/dist.rs), so this file pins the glue and the glue pins the wasm. Empty (the
  // dev build): nothing is checked.
  const GLUE_SRI = '';
  let loading;
  // The glue is preloaded with its hash, then imported: import() takes that module-map entry,
  // checked, or fails (a link added after the import() would lose to its unchecked fetch).
  // A server sending another type than application/wasm gets the non-streaming compile.
  const W = WebAssembly, compile = (r) => W.compileStreaming(r.clone()).catch(() => r.arrayBuffer().then(W.compile));
  const load = () => loading || (loading = (d.head.append(Object.assign(d.createElement('link'),
    { rel: 'modulepreload', href: glue, integrity: GLUE_SRI })), import(glue)).then((m) => m.default({
    module_or_path: fetch(url('kudos-widget_bg.wasm'), { integrity: m.wasm_sri }).then(compile) }).then(() => m)));

  // French when the widget will speak it (data-lang, else the browser), like the widget itself.
  const fr = (o) => /^fr/i.test(o.lang || navigator.language);
  const show = (root, css, text, link, open) => {
    const s = new CSSStyleSheet(), p = d.createElement('p');
    s.replaceSync(':host{all:initial!important;display:block!important}p{margin:0;padding:16px;font:16px system-ui;' + css + '}a{color:inherit}');
    root.adoptedStyleSheets = [s];
    p.textContent = text;
    if (link) {
      const a = d.createElement('a');
      a.href = link;
      a.textContent = open;
      p.append(' ', a);
    }
    root.replaceChildren(p);
  };

  const place = (host, options, made, early) => {
    let h = handles.get(host), inst, io, gone, o, done;
    if (h) return console.warn(P + 'element already holds a widget'), h;
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    const stop = () => {
      io && io.disconnect();
      host.removeEventListener('focusin', go);
    };
    const fail = (message, loadFailed) => {
      console.error(P + message);
      done(false);
      if (!loadFailed) return h.unmount();
      let u;
      try { u = new URL(o['fallback-url'] || 'x:', location.href); } catch (e) {}
      show(root, 'border:1px solid', fr(o) ? 'Le formulaire n\u2019a pas pu se charger.' : 'The form could not load.',
        u && /^https?:$/.test(u.protocol) && u.href, fr(o) ? 'Ouvrir le formulaire' : 'Open the form');
    };
    const go = () => {
      if (gone || o) return;
      stop();
      o = options();
      load().then((m) => {
        if (gone) return;
        try {
          inst = m.mount(host, o);
          done(true);
        } catch (e) {
          fail(e.message);
        }
      }, (e) => {
        e = '' + e;
        gone || fail(/Security Policy|unsafe-eval/.test(e)
          ? "this page's Content-Security-Policy blocks WebAssembly: add 'wasm-unsafe-eval' to script-src. " + e
          : 'could not load or verify ' + url('') + ': ' + e, 1);
      });
    };
    h = {
      ready: new Promise((r) => (done = r)),
      unmount() {
        gone = 1;
        stop();
        handles.delete(host);
        if (inst) inst.unmount(), inst.free(), inst = 0;
        root.replaceChildren();
        root.adoptedStyleSheets = [];
        if (made) host.remove();
      }
    };
    for (const n of ['prefill', 'setTheme', 'setLocale']) h[n] = (v) => h.ready.then(() => inst && inst[n](v));
    host.setAttribute('data-kudos-widget', '');
    handles.set(host, h);
    // Reserve about the widget's height until it renders.
    const r = options();
    show(root, 'min-height:' + (r.variant == 'compact' ? 190 : r.widget == 'newsletter' ? 640 : r.show == 'wall' ? 600 : 1440) + 'px', fr(r) ? 'Chargement\u2026' : 'Loading\u2026');
    const near = (b) => b.height && b.top < innerHeight + 600 && b.bottom > -600;
    (io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && go(), { rootMargin: '600px 0px' })).observe(host);
    host.addEventListener('focusin', go);
    // Already near the viewport: start now, not at the observer's first frame (not for a
    // <kudos-widget> still being parsed: its inline roster would be missed).
    early && near(host.getBoundingClientRect()) && go();
    return h;
  };

  const attrs = (el, script) => {
    const o = {};
    for (const { name, value } of el.attributes) {
      if (script ? !name.indexOf('data-') : !/^(id|class|style|hidden|tabindex|slot|aria-.*|data-kudos.*)$/.test(name)) {
        o[name.replace(/^data-/, '')] = value;
      }
    }
    return o;
  };

  const tag = (script) => {
    const o = attrs(script, 1);
    let host;
    if (!Object.keys(o).length) return;
    if (o.target) {
      try { host = d.querySelector(o.target); } catch (e) {}
      if (!host) return console.error(P + 'data-target="' + o.target + '" matches no element; nothing was mounted.');
    } else {
      script.after(host = d.createElement('div'));
      // Defeats `:empty { display: none }`.
      host.append(d.createElement('span'));
    }
    place(host, () => o, !o.target, 1);
  };

  w[P] = { mount: (el, options) => place(el, () => options || {}, 0, 1), tag };
  if (w.Kudos) console.warn(P + 'window.Kudos already belongs to this page and is kept: use <kudos-widget> or data-* tags');
  else w.Kudos = w[P];

  customElements.get('kudos-widget') || customElements.define('kudos-widget', class extends HTMLElement {
    connectedCallback() {
      place(this, () => {
        const o = attrs(this), json = this.querySelector(':scope>script[type="application/json"]');
        if (json && !o.staff) o.staff = json.textContent;
        return o;
      });
    }
    disconnectedCallback() {
      const h = handles.get(this);
      h && h.unmount();
    }
  });
  tag(me);
})(window, document);
