// Tiny static file server for the end-to-end tests; no dependencies, so nothing but Node is needed.
//
//   node server.mjs [port]      (or PORT=4173 node server.mjs)
//
// Serves:
//   /pages/...  from tests/e2e/pages/ (host pages written by the specs' author: hostile CSS, CSP, ...)
//   /...        from the repository's dist/ (what `trunk build --release` produced: the real artefact),
//               or from $DIST_DIR when set (`cargo xtask serve` serves its live copy of the demo)
//
// Every response says `Cache-Control: no-store`, so a rebuilt dist/ is never hidden behind a cache.
// A file `X.html` with a sibling `X.html.csp` is sent with that file's text as its
// `Content-Security-Policy` header: a test can then prove the widget works under a site owner's CSP.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOTS = {
  dist: path.resolve(process.env.DIST_DIR ?? path.join(HERE, '..', '..', 'dist')),
  pages: path.resolve(HERE, 'pages'),
};

// Only the types the widget and its host pages use; anything else is served as bytes.
// `application/wasm` matters: without it the browser cannot stream-compile the module.
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const port = Number(process.argv[2] ?? process.env.PORT ?? 4173);
const host = '127.0.0.1';

/** Maps a request path to a file inside one of the roots, or null when it would leave its root. */
function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed percent-encoding
  }
  // NUL bytes and backslashes have no business in a URL path here; refusing them closes tricks
  // that differ between the URL parser and the file system.
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // The URL parser already folds plain `..` segments; an encoded slash (`..%2f`) would only show
  // up here, after decoding. Refuse rather than guess what was meant.
  if (decoded.split('/').includes('..')) return null;

  let root = ROOTS.dist;
  let rel = decoded;
  if (decoded === '/pages' || decoded.startsWith('/pages/')) {
    root = ROOTS.pages;
    rel = decoded.slice('/pages'.length);
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';

  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  // The check that matters: whatever `..` did, the result must still be inside the root.
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function send(res, status, headers, body) {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'method not allowed\n');
    return;
  }
  const { pathname } = new URL(req.url ?? '/', `http://${host}`);
  const file = resolveFile(pathname);
  if (file === null) {
    send(res, 400, { 'Content-Type': 'text/plain' }, 'bad path\n');
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    const headers = {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(body.length),
    };
    if (file.endsWith('.html')) {
      const csp = await readFile(file + '.csp', 'utf8').catch(() => null);
      // Header values cannot span lines, so a policy written one directive per line (each still
      // ending in `;` as usual) is joined into one.
      if (csp !== null) {
        headers['Content-Security-Policy'] = csp
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
          .join(' ');
      }
    }
    send(res, 200, headers, req.method === 'HEAD' ? undefined : body);
  } catch {
    send(res, 404, { 'Content-Type': 'text/plain' }, 'not found\n');
  }
});

server.listen(port, host, () => {
  // Playwright's webServer waits for the URL to answer; this line is for humans.
  console.log(`e2e static server: http://${host}:${port}/ (dist: ${ROOTS.dist}, pages: ${ROOTS.pages})`);
});

// Playwright stops the server with SIGTERM; close promptly so the port is free for the next run.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
