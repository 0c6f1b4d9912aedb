// A minimal kudos-widget endpoint: Node.js, no dependencies. It answers the CORS preflight, keeps
// each submission once (by id) in a JSON-lines file, and replies as the contract says.
//
//   ALLOW_ORIGIN=https://shop.example PORT=8787 node docs/example-receiver.mjs
//
// A starting point, not a product: add authentication of your own kind, moderation before
// publishing praise, and the confirmation email of a double opt-in newsletter.
import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const PORT = Number(process.env.PORT ?? 8787);
const ORIGIN = process.env.ALLOW_ORIGIN ?? '*';
const INBOX = process.env.INBOX ?? 'kudos-inbox.jsonl';
const TYPES = new Set(['staff_recognition.submitted', 'newsletter.subscription_requested']);
const seen = new Set(existsSync(INBOX) ? readFileSync(INBOX, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id) : []);

const cors = {
  'Access-Control-Allow-Origin': ORIGIN,
  'Access-Control-Expose-Headers': 'Retry-After',
  Vary: 'Origin',
};

function reply(res, status, body) {
  res.writeHead(status, { ...cors, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

createServer((req, res) => {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '86400' });
    return res.end();
  }
  if (req.method !== 'POST') return reply(res, 405, { errors: [{ field: '', code: 'method_not_allowed' }] });
  let text = '';
  req.on('data', (chunk) => { text += chunk; if (text.length > 64_000) req.destroy(); });
  req.on('end', () => {
    let envelope;
    try { envelope = JSON.parse(text); } catch { return reply(res, 400, { errors: [{ field: '', code: 'not_json' }] }); }
    if (!TYPES.has(envelope.type) || typeof envelope.id !== 'string') return reply(res, 400, { errors: [{ field: 'type', code: 'unknown' }] });
    const status = envelope.type === 'newsletter.subscription_requested' ? 'pending_confirmation' : 'pending_moderation';
    // A repeated id is a retry of something already kept: the same success, stored once.
    if (!seen.has(envelope.id) && !envelope.signals?.honeypot) {
      seen.add(envelope.id);
      appendFileSync(INBOX, JSON.stringify(envelope) + '\n');
    }
    reply(res, 200, { status });
  });
}).listen(PORT, '127.0.0.1', () => console.log(`kudos receiver on http://127.0.0.1:${PORT}/`));
