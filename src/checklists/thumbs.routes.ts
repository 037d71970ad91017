// The signed thumbnail route (./thumbs.ts): a LINE client loads a review card's photo previews here, with no
// session. A bad, stale or foreign signature, an unknown or erased file, a document, or a photo without a preview
// is the same 404. Only LINE's small preview is served, never the original, up to 1 MB, never sniffed.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { isUuid } from '../ids/uuid.js';
import { photoThumb } from './evidence.queries.js';
import { THUMB_PATH, thumbValid } from './thumbs.js';

const THUMB_MAX_BYTES = 1024 * 1024;
const TYPES = new Set(['image/jpeg', 'image/png']);

export function thumbRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(`${THUMB_PATH}/:id/:exp/:sig`, async (c) => {
    const { id, exp, sig } = c.req.param();
    const { config, db, blobs, now } = c.var.deps;
    const none = () => c.body(null, 404, { 'Cache-Control': 'no-store' });
    if (config.secretsKey === undefined || !isUuid(id)) return none();
    if (!(await thumbValid(config.secretsKey, id, exp, sig, now()))) return none();
    const key = await photoThumb(db, id);
    const blob = key === undefined ? null : await blobs.get(key);
    if (blob === null || !TYPES.has(blob.contentType) || blob.data.length > THUMB_MAX_BYTES) return none();
    return c.body(new Uint8Array(blob.data), 200, {
      'Content-Type': blob.contentType,
      'Content-Length': String(blob.data.length),
      // LINE's client may keep it while the URL is valid; nothing shared beyond that.
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Referrer-Policy': 'no-referrer',
    });
  });
  return app;
}
