// Loopback stand-ins for the six services the widget can deliver to (issue 15), answering as their
// public docs say (docs/providers.md cites each page; tests/fixtures/providers/*.json holds the
// same shapes for the native tests). No dependencies: plain Node. specs/providers.spec.ts starts it.
//
//   node providers.mjs [port]
//
//   POST /f/:form                      Formspree: JSON only with `Accept: application/json`
//                                      (else a 302 to its thank-you page, as for a plain form);
//                                      200 {"next","ok"}; 422 {"errors":[{"code","field","message"}]}
//                                      when `email` is not an address
//   POST /basin/f/:id                  Basin: 200 {"success": true}; 4xx {"error"}
//   POST /submit                       Web3Forms: `access_key` required; 200 {"success": true,
//                                      "message"}; 400 {"success": false, "message"}
//   POST /staticforms/submit           StaticForms: `apiKey` required (400 when missing, 401 when
//                                      wrong), 200 {"success": true, "message"}
//   POST /listmonk/api/public/subscription
//                                      listmonk: {email, name, list_uuids}; 200 {"data": true};
//                                      400 {"message"} for a bad email or no lists
//   POST /v3/forms/:id/subscribe       Kit v3: `api_key` required (401 {"error","message"}); 200
//                                      {"subscription": {"state"}}: "inactive" for form 1 (double
//                                      opt-in), "active" for any other
//   OPTIONS *                          the CORS preflight each service answers
//   POST /__control                    {"keys": {...}, "replies": [{"status","body"}], "cors":
//                                      "allow" | "refuse"}; clears the log
//   GET  /__log                        {"received": [{"service", "path", "accept", "body"}]}

import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4198);
const host = '127.0.0.1';

let state;
function reset(control = {}) {
  state = {
    keys: { web3forms: 'w3f-public-key', staticforms: 'sf-public-key', kit: 'kit-public-key', ...(control.keys ?? {}) },
    replies: control.replies ?? [],
    cors: control.cors ?? 'allow',
    received: [],
  };
}
reset();

function cors(req) {
  if (state.cors === 'refuse') return {};
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Accept',
    Vary: 'Origin',
  };
}

function send(req, res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors(req), ...headers });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const isEmail = (value) => typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);

/** Which service a path belongs to, or null. */
function service(pathname) {
  if (/^\/f\/[\w-]+$/.test(pathname)) return 'formspree';
  if (/^\/basin\/f\/[\w-]+$/.test(pathname)) return 'basin';
  if (pathname === '/submit') return 'web3forms';
  if (pathname === '/staticforms/submit') return 'staticforms';
  if (pathname === '/listmonk/api/public/subscription') return 'listmonk';
  if (/^\/v3\/forms\/\d+\/subscribe$/.test(pathname)) return 'kit';
  return null;
}

/** The service's own answer to a well-formed post, as its docs describe it. */
function answer(name, pathname, body, accept) {
  switch (name) {
    case 'formspree':
      if (!accept.includes('application/json')) return [302, '', { Location: 'https://formspree.io/thanks' }];
      if ('email' in body && !isEmail(body.email)) {
        return [422, { error: 'Validation errors', errors: [{ code: 'TYPE_EMAIL', field: 'email', message: 'should be an email' }] }];
      }
      return [200, { next: 'https://formspree.io/thanks?language=en', ok: true }];
    case 'basin':
      return [200, { success: true }];
    case 'web3forms':
      if (!body.access_key) return [400, { success: false, message: 'Access key is required' }];
      if (body.access_key !== state.keys.web3forms) return [400, { success: false, message: 'Invalid access key' }];
      return [200, { success: true, message: 'Email sent successfully!', data: body }];
    case 'staticforms':
      if (!body.apiKey) return [400, { success: false, message: 'API key is required' }];
      if (body.apiKey !== state.keys.staticforms) return [401, { success: false, message: 'Invalid API key' }];
      return [200, { success: true, message: 'Form submission received' }];
    case 'listmonk':
      if (!isEmail(body.email)) return [400, { message: 'Invalid email.' }];
      if (!Array.isArray(body.list_uuids) || body.list_uuids.length === 0) return [400, { message: 'No lists to subscribe to.' }];
      return [200, { data: true }];
    case 'kit': {
      if (body.api_key !== state.keys.kit) return [401, { error: 'Authorization Failed', message: 'API Key not valid' }];
      if (!isEmail(body.email)) return [422, { error: 'Unprocessable entity', message: 'Email address is invalid' }];
      const form = Number(pathname.split('/')[3]);
      return [200, { subscription: { id: 1, state: form === 1 ? 'inactive' : 'active', subscriber: { id: 7 } } }];
    }
  }
  return [404, { error: 'not found' }];
}

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url ?? '/', `http://${host}`);
  if (pathname === '/__control' && req.method === 'POST') {
    reset(JSON.parse((await readBody(req)) || '{}'));
    send(req, res, 204, '');
    return;
  }
  if (pathname === '/__log' && req.method === 'GET') {
    send(req, res, 200, { received: state.received });
    return;
  }
  if (pathname === '/' && req.method === 'GET') {
    send(req, res, 200, '"providers up"');
    return;
  }
  const name = service(pathname);
  if (!name) {
    send(req, res, 404, { error: 'not found' });
    return;
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors(req), 'Access-Control-Max-Age': '600' });
    res.end();
    return;
  }
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    send(req, res, 400, { error: 'not JSON' });
    return;
  }
  const accept = req.headers.accept ?? '';
  state.received.push({ service: name, path: pathname, accept, contentType: req.headers['content-type'] ?? '', body });
  const scripted = state.replies.shift();
  const [status, reply, headers] = scripted ? [scripted.status, scripted.body, scripted.headers] : answer(name, pathname, body, accept);
  send(req, res, status, reply, headers);
});

server.listen(port, host, () => console.log(`provider stand-ins: http://${host}:${port}/`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
