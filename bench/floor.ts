// The floor: the least a LINE webhook endpoint on Hono + @hono/node-server can do (raw body, the same signature
// check, JSON parse, 200 {}), so nithet's rate reads as a fraction of what the HTTP stack allows on this machine.
import { Hono } from 'hono';
import { verifyLineSignature } from '../src/line/signature.js';

export function floorApp(secret: string): Hono {
  const app = new Hono();
  app.post('/webhook', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!(await verifyLineSignature(secret, raw, c.req.header('x-line-signature')))) {
      return c.json({ message: 'Invalid signature' }, 401);
    }
    const json: unknown = JSON.parse(new TextDecoder().decode(raw));
    if (typeof json !== 'object' || json === null) return c.json({ message: 'Bad request' }, 400);
    return c.json({});
  });
  return app;
}
