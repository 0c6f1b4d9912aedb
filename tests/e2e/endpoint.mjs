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
//   GET     /__log      what arrived: {"preflights": n, "received": [bodies], "accepted": [bodies],
//                       "wall": [the query of each GET /wall, as an object],
//                       "generated": [{"items": n, "bytes": b} for each generated feed served],
//                       "referers": [the Referer header of each POST /kudos and GET /wall, or null]}
//   GET     /wall       the owner's wall feed, as the `wall` member of the last /__control says:
//                       {"pages": {"": body, "<cursor>": body}} answers by the `cursor` parameter;
//                       {"generate": {"count": n, "maxBytes": b}} a bare array of up to n items in
//                       a scattered order (newest is id g<n-1>), cut to fit b bytes when given;
//                       {"bytes": n, "chunked": bool} a valid array padded to n bytes, with or
//                       without Content-Length; "hold": "headers" | "body" stalls the reply (before
//                       the headers, or after half the body) until POST /__release or the next
//                       /__control
//   POST    /__release  lets held wall replies go
//
// Tests run one at a time (workers: 1), so one shared script and log are enough.

import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.PORT ?? 4183);
const host = '127.0.0.1';

let state;
function reset(control = {}) {
  // Held wall replies of the previous test end now, so no request outlives its test.
  for (const release of state?.held ?? []) release(true);
  state = {
    replies: control.replies ?? [],
    cors: control.cors ?? 'allow',
    wall: control.wall ?? { pages: { '': { schema_version: 1, items: [], next_cursor: null } } },
    preflights: 0,
    received: [],
    accepted: [],
    referers: [],
    wallRequests: [],
    wallServed: [],
    held: [],
  };
}
reset();

/** `count` wall items in a scattered order (index i holds item (i × 7919) mod count), one minute
 *  apart, so item g<count-1> is the newest; the body is cut to `maxBytes` when given. */
function generatedFeed({ count, maxBytes = Infinity }, served) {
  const parts = [];
  let size = 2;
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const n = (i * 7919) % count;
    const item = JSON.stringify({
      id: `g${n}`,
      staff_name: `Staff ${n}`,
      staff_role: 'Cashier',
      story: `Story ${n}: carried the boxes out to the car in the rain.`,
      created_at: new Date(start + n * 60_000).toISOString(),
    });
    if (size + item.length + 1 > maxBytes) break;
    parts.push(item);
    size += item.length + 1;
  }
  served.push({ items: parts.length, bytes: size - 1 });
  return `[${parts.join(',')}]`;
}

/** A valid JSON array of exactly `bytes` bytes (spaces inside the brackets). */
function paddedFeed(bytes) {
  return `[${' '.repeat(Math.max(0, bytes - 2))}]`;
}

/** Answers GET /wall as `state.wall` says. */
async function wall(req, res, url) {
  const query = Object.fromEntries(url.searchParams);
  state.wallRequests.push(query);
  state.referers.push(req.headers.referer ?? null);
  const script = state.wall;
  let text;
  if (script.generate) text = generatedFeed(script.generate, state.wallServed);
  else if (script.bytes) text = paddedFeed(script.bytes);
  else {
    const body = script.pages?.[query.cursor ?? ''];
    if (body === undefined) {
      send(res, 404, corsHeaders(req), { error: 'no such page' });
      return;
    }
    text = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const held = () => new Promise((resolve) => state.held.push(resolve));
  const headers = {
    ...corsHeaders(req),
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    ...(script.chunked ? {} : { 'Content-Length': Buffer.byteLength(text) }),
  };
  if (script.hold === 'headers' && (await held())) return res.destroy();
  res.writeHead(200, headers);
  if (script.hold === 'body') {
    const half = Math.floor(text.length / 2);
    res.write(text.slice(0, half));
    if (await held()) return res.destroy();
    text = text.slice(half);
  }
  res.end(text);
}

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
    const { preflights, received, accepted, wallRequests, wallServed, referers } = state;
    send(res, 200, {}, { preflights, received, accepted, wall: wallRequests, generated: wallServed, referers });
    return;
  }
  if (pathname === '/__release' && req.method === 'POST') {
    for (const release of state.held.splice(0)) release(false);
    send(res, 204, {});
    return;
  }
  if (pathname === '/wall' && req.method === 'GET') {
    await wall(req, res, new URL(req.url ?? '/', `http://${host}`));
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
  state.referers.push(req.headers.referer ?? null);
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
