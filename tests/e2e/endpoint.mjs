// A site owner's endpoint for the end-to-end tests, on its own port (so every post from the page
// is cross-origin and the CORS preflight is real). No dependencies: plain Node.
//
//   node endpoint.mjs [port]      (Playwright starts it; see playwright.config.ts)
//
//   OPTIONS /kudos      the preflight: the CORS reply the README documents (or a refusal, below)
//   POST    /kudos      records the body; answers 201 {"status":"accepted"}, 200 for an id it has
//                       already accepted (idempotency), or the next scripted reply
//   POST    /__control  sets how to answer: {"replies": [{"status": 429, "headers": {...},
//                       "body": {...}}, ...], "cors": "allow" | "refuse"}; also clears the log
//   GET     /__log      what arrived: {"preflights": n, "received": [bodies], "accepted": [bodies]}
//
// Tests run one at a time (workers: 1), so one shared script and log are enough.

import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.PORT ?? 4183);
const host = '127.0.0.1';

let state;
function reset(control = {}) {
  state = {
    replies: control.replies ?? [],
    cors: control.cors ?? 'allow',
    preflights: 0,
    received: [],
    accepted: [],
  };
}
reset();

/** The CORS headers the README asks an endpoint to send, for the requesting origin. */
function corsHeaders(req) {
  if (state.cors === 'refuse') return {};
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

function send(res, status, headers, body) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...(text ? { 'Content-Type': 'application/json' } : {}),
    ...headers,
  });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url ?? '/', `http://${host}`);
  if (pathname === '/__control' && req.method === 'POST') {
    reset(JSON.parse((await readBody(req)) || '{}'));
    send(res, 204, {});
    return;
  }
  if (pathname === '/__log' && req.method === 'GET') {
    const { preflights, received, accepted } = state;
    send(res, 200, {}, { preflights, received, accepted });
    return;
  }
  if (pathname === '/' && req.method === 'GET') {
    send(res, 200, {}, 'endpoint up');
    return;
  }
  if (pathname !== '/kudos') {
    send(res, 404, {}, { error: 'not found' });
    return;
  }
  if (req.method === 'OPTIONS') {
    state.preflights += 1;
    send(res, 204, corsHeaders(req));
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, { Allow: 'POST, OPTIONS' }, { error: 'method not allowed' });
    return;
  }
  const text = await readBody(req);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    send(res, 400, corsHeaders(req), { errors: [{ field: '', code: 'not_json' }] });
    return;
  }
  state.received.push(body);
  const scripted = state.replies.shift();
  if (scripted) {
    send(res, scripted.status, { ...corsHeaders(req), ...(scripted.headers ?? {}) }, scripted.body);
    return;
  }
  const seen = state.accepted.some((earlier) => earlier.id === body.id);
  if (!seen) state.accepted.push(body);
  send(res, seen ? 200 : 201, corsHeaders(req), { status: 'accepted' });
});

server.listen(port, host, () => {
  console.log(`e2e endpoint: http://${host}:${port}/kudos`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
