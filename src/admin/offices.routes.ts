// Offices: list, read, create (by code), change names, quiet hours and privacy notice; register a LINE channel.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf, principalOf, requireDeployment } from './auth.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { encryptSecret } from '../crypto/secrets.js';
import { upsertChannel } from '../line/channels.queries.js';
import { upsertOffice } from './admin.queries.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from './office.js';
import { officePatch, updateOffice } from './offices.actions.js';
import { listOfficesPage, officeView } from './org.queries.js';
import { decodeCursor, pageOf, pageParams } from './page.js';
import { parseBody, parseQuery, readJson } from './validate.js';

const officeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,32}$/, 'letters, digits, - or _ (2–32)'),
  nameTh: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).optional(),
});

const channelBody = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'lower-case letters, digits and - (3–63)')
    .refine((v) => v !== 'default', 'reserved for the env channel')
    .optional(),
  name: z.string().trim().min(1).max(100),
  lineChannelId: z
    .string()
    .regex(/^\d{6,20}$/)
    .optional(),
  channelSecret: z.string().regex(/^[0-9a-f]{32}$/, 'a 32-character hex channel secret'),
  channelAccessToken: z.string().min(20).max(500),
});

export function officeRoutes(app: Hono<AppEnv>): void {
  app.get('/offices', async (c) => {
    const q = parseQuery(z.strictObject(pageParams.shape), c.req.query());
    const after = decodeCursor(q.cursor, ['text'])?.[0] ?? null;
    const admin = principalOf(c);
    const only = admin.kind === 'office' ? admin.officeId : undefined;
    const rows = await listOfficesPage(c.var.deps.db, after, q.limit, only);
    return c.json(pageOf(rows, q.limit, (o) => [o.code]));
  });

  app.post('/offices', async (c) => {
    requireDeployment(c);
    const body = parseBody(officeBody, await readJson(c.req));
    const db = c.var.deps.db;
    const row = await db.transaction(async (tx) => {
      const made = await upsertOffice(tx, { code: body.code, nameTh: body.nameTh, nameEn: body.nameEn ?? null });
      await audit(tx, {
        actor: actorOf(c),
        officeId: made.id,
        action: made.created ? 'office.create' : 'office.update',
        targetType: 'office',
        targetId: made.id,
      });
      return made;
    });
    return c.json({ id: row.id, code: row.code, nameTh: row.name_th, nameEn: row.name_en }, row.created ? 201 : 200);
  });

  app.get('/offices/:office', async (c) => {
    const o = await officeOf(c);
    return c.json(await officeView(c.var.deps.db, o.id));
  });

  app.patch('/offices/:office', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(officePatch, await readJson(c.req));
    await updateOffice(c.var.deps, o.id, actorOf(c), body);
    return c.json(await officeView(c.var.deps.db, o.id));
  });

  // The LINE channel's credentials are the deployment's: a channel id is global (another office's id is a 409),
  // and whoever sets the secret and token receives that channel's webhooks. Before the office lookup, so the
  // answer is the same for every office.
  app.put('/offices/:office/channel', async (c) => {
    requireDeployment(c);
    const o = await officeOf(c);
    const body = parseBody(channelBody, await readJson(c.req));
    const { db, config, channels } = c.var.deps;
    if (config.secretsKey === undefined) {
      throw new AppError('invalid_request', 'SECRETS_KEY is not set; channel credentials cannot be stored', [
        { field: 'channelSecret', message: 'the server has no SECRETS_KEY to encrypt it with' },
      ]);
    }
    const id = body.id ?? o.code.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const secretEnc = await encryptSecret(config.secretsKey, body.channelSecret);
    const tokenEnc = await encryptSecret(config.secretsKey, body.channelAccessToken);
    // The channel, its ownership check and the audit row commit together; the cache forgets what it read either way.
    try {
      await db.transaction(async (tx) => {
        await upsertChannel(tx, {
          id,
          officeId: o.id,
          name: body.name,
          lineChannelId: body.lineChannelId ?? null,
          secretEnc,
          tokenEnc,
        });
        channels.forget(id);
        const stored = await channels.registered(tx, id);
        if (stored === null || stored.officeId !== o.id) {
          throw new AppError('conflict', 'That channel id belongs to another office', [
            { field: 'id', message: 'taken' },
          ]);
        }
        await audit(tx, {
          actor: actorOf(c),
          officeId: o.id,
          action: 'channel.register',
          targetType: 'channel',
          targetId: id,
        });
      });
    } finally {
      channels.forget(id);
    }
    return c.json({ id, webhookPath: `/webhook/${id}` });
  });
}
