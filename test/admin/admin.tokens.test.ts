// Office admin tokens: made once and shown once (only the hash stored), listed without secrets, revoked; the
// guard lets an office token into its own office only; last_used_at is written at most once a minute; the audit
// log names who acted; and the CLI makes the same tokens.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/admin/auth.js';
import { queryRows } from '../../src/db/client.js';
import { openNodeDatabase } from '../../src/db/node.js';
import { cliTarget } from '../support/cli.js';
import { signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { adminApi, walk, type Api } from './api.js';

let h: Harness;
let api: Api;
beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  for (const code of ['TKA', 'TKB']) {
    expect((await api('POST', '/offices', { code, nameTh: `สพป.โทเคน ${code}` })).status).toBe(201);
  }
});
afterAll(() => h.close());

const actors = async (officeCode: string, action: string) =>
  (
    await queryRows<{ actor: string }>(
      h.db.db,
      sql`SELECT a.actor FROM audit_log a JOIN offices o ON o.id = a.office_id
           WHERE o.code = ${officeCode} AND a.action = ${action} ORDER BY a.id`,
    )
  ).map((r) => r.actor);

describe('office admin tokens', () => {
  let tokenA = '';
  let idA = '';

  it('POST creates a token shown once; only its SHA-256 is stored', async () => {
    const res = await api('POST', '/offices/TKA/tokens', { label: 'งานบุคคล สพป.A' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(['createdAt', 'id', 'label', 'token']);
    tokenA = res.json.token as string;
    idA = res.json.id as string;
    expect(tokenA).toMatch(/^nta_[A-Za-z0-9_-]{43}$/);
    expect(res.json.label).toBe('งานบุคคล สพป.A');
    const row = await one<{ token_hash: string }>(h.db.db, sql`SELECT token_hash FROM admin_tokens WHERE id = ${idA}`);
    expect(row.token_hash).toBe(await tokenHash(tokenA));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await count(h.db.db, sql`admin_tokens WHERE token_hash = ${tokenA}`)).toBe(0);
    // The audit row names the deployment token and never holds the token.
    expect(await actors('TKA', 'admin_token.create')).toEqual(['deployment-token']);
    const detail = await one<{ d: string }>(
      h.db.db,
      sql`SELECT detail::text AS d FROM audit_log WHERE action = 'admin_token.create' AND target_id = ${idA}`,
    );
    expect(detail.d).not.toContain(tokenA);
  });

  it('refuses a missing or empty label with 400 naming the field', async () => {
    for (const body of [{}, { label: '  ' }, { label: 'x', token: 'mine' }]) {
      const res = await api('POST', '/offices/TKA/tokens', body);
      expect(res.status).toBe(400);
    }
  });

  it("the office token opens its own office's routes, and they are audited as that token", async () => {
    const office = await api('GET', '/offices/TKA', undefined, tokenA);
    expect(office.status).toBe(200);
    const patch = await api('PATCH', '/offices/TKA', { quietStart: 22 }, tokenA);
    expect(patch.status).toBe(200);
    const schools = await api(
      'POST',
      '/offices/TKA/schools',
      { schools: [{ code: '5050505050', nameTh: 'รร.ก' }] },
      tokenA,
    );
    expect(schools.status).toBe(200);
    expect(await actors('TKA', 'office.update')).toEqual([`office-token:${idA}`]);
    expect(await actors('TKA', 'schools.upsert')).toEqual([`office-token:${idA}`]);
    // By id as well as by code.
    const id = (office.json as { id: string }).id;
    expect((await api('GET', `/offices/${id}`, undefined, tokenA)).status).toBe(200);
  });

  it('another office, by code or id, is a 404 exactly like an office that does not exist, and nothing is written', async () => {
    const b = await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = 'TKB'`);
    const before = await count(h.db.db, sql`audit_log`);
    for (const path of ['/offices/TKB', `/offices/${b.id}`, '/offices/TKB/people', '/offices/NOPE']) {
      const res = await api('GET', path, undefined, tokenA);
      expect(res.status, path).toBe(404);
      // The same body (but for each request's own id), so a 404 does not tell a foreign office from a missing one.
      expect(res.json.error).toEqual({ code: 'not_found', message: 'Unknown office', requestId: expect.any(String) });
    }
    const patch = await api('PATCH', '/offices/TKB', { nameTh: 'ยึด' }, tokenA);
    expect(patch.status).toBe(404);
    expect(await count(h.db.db, sql`audit_log`)).toBe(before);
    expect((await one<{ name_th: string }>(h.db.db, sql`SELECT name_th FROM offices WHERE code = 'TKB'`)).name_th).toBe(
      'สพป.โทเคน TKB',
    );
  });

  it('GET /offices shows only the token’s office', async () => {
    const { items } = await walk<{ code: string }>((m, p, j) => api(m, p, j, tokenA), '/offices', 10);
    expect(items.map((o) => o.code)).toEqual(['TKA']);
    const all = await walk<{ code: string }>(api, '/offices', 10);
    expect(all.items.map((o) => o.code)).toEqual(expect.arrayContaining(['TKA', 'TKB']));
  });

  it('deployment-only routes are 403 for an office token, its own office included', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/offices', { code: 'TKC', nameTh: 'ใหม่' }],
      ['POST', '/offices', { code: 'TKA', nameTh: 'เปลี่ยนชื่อ' }],
      ['POST', '/offices/TKA/tokens', { label: 'ตัวเอง' }],
      ['POST', '/offices/TKB/tokens', { label: 'อื่น' }],
      ['DELETE', `/offices/TKA/tokens/${idA}`, undefined],
      [
        'PUT',
        '/offices/TKA/channel',
        { name: 'A', channelSecret: 'f'.repeat(32), channelAccessToken: 'a-token-0123456789abc' },
      ],
    ];
    const before = await count(h.db.db, sql`admin_tokens`);
    const channels = await count(h.db.db, sql`line_channels`);
    for (const [method, path, body] of cases) {
      const res = await api(method, path, body, tokenA);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error?.code).toBe('forbidden');
    }
    expect(await count(h.db.db, sql`admin_tokens`)).toBe(before);
    expect(await count(h.db.db, sql`offices WHERE code = 'TKC'`)).toBe(0);
    expect(await count(h.db.db, sql`line_channels`)).toBe(channels);
  });

  let pagesA = '';
  it('signs in to the web pages of its own office only, audited as the token', async () => {
    pagesA = await signInCookie(h, tokenA);
    const page = (path: string) => h.fetch(path, { headers: { cookie: pagesA }, redirect: 'manual' });
    const list = await page('/admin/offices');
    expect(list.status).toBe(303);
    expect(list.headers.get('location')).toBe('/admin/offices/TKA');
    expect((await page('/admin/offices/TKA')).status).toBe(200);
    expect((await page('/admin/offices/TKB')).status).toBe(404);
    // The API takes the pages' cookie for reads of its own office only, and never for a write.
    const read = (path: string, method = 'GET') =>
      h.fetch(`/admin/api/v1${path}`, {
        method,
        headers: { cookie: pagesA, 'content-type': 'application/json' },
        body: method === 'GET' ? null : '{}',
      });
    expect((await read('/offices/TKA/people')).status).toBe(200);
    expect((await read('/offices/TKB/people')).status).toBe(404);
    expect((await read('/offices/TKA/clusters', 'POST')).status).toBe(401);
    expect(await actors('TKA', 'admin.signin')).toEqual([`office-token:${idA}`]);
    expect(await actors('TKA', 'people.list')).toContain(`office-token:${idA}`);
  });

  it('last_used_at is written on first use, then at most once a minute', async () => {
    const used = async () =>
      (
        await one<{ ms: number | null }>(
          h.db.db,
          sql`SELECT (extract(epoch FROM last_used_at) * 1000)::float8 AS ms FROM admin_tokens WHERE id = ${idA}`,
        )
      ).ms;
    const first = await used();
    // Stamped by the app's clock (deps.now), at or before now.
    expect(typeof first === 'number' && first <= h.clock.now).toBe(true);
    h.clock.now += 30_000;
    await api('GET', '/offices/TKA', undefined, tokenA);
    expect(await used()).toBe(first);
    h.clock.now += 31_000;
    await api('GET', '/offices/TKA', undefined, tokenA);
    expect(await used()).toBe(h.clock.now);
  });

  it('GET lists the office’s tokens, paged, without the token or its hash; an office token sees its own', async () => {
    for (const label of ['สอง', 'สาม']) expect((await api('POST', '/offices/TKA/tokens', { label })).status).toBe(201);
    expect((await api('POST', '/offices/TKB/tokens', { label: 'ของ B' })).status).toBe(201);
    const { pages, items } = await walk<Record<string, unknown>>(api, '/offices/TKA/tokens', 2);
    expect(pages).toBe(2);
    expect(items.map((t) => t.label)).toEqual(['งานบุคคล สพป.A', 'สอง', 'สาม']);
    for (const t of items) {
      expect(Object.keys(t).sort()).toEqual(['createdAt', 'id', 'label', 'lastUsedAt', 'revokedAt']);
    }
    const text = JSON.stringify(items);
    expect(text).not.toContain(tokenA);
    expect(text).not.toContain(await tokenHash(tokenA));
    const own = await api('GET', '/offices/TKA/tokens', undefined, tokenA);
    expect(own.status).toBe(200);
    expect((own.json.items as unknown[]).length).toBe(3);
    expect((await api('GET', '/offices/TKB/tokens', undefined, tokenA)).status).toBe(404);
    expect((await api('GET', '/offices/TKA/tokens?cursor=WyJ4IiwieSJd')).status).toBe(400);
  });

  it('DELETE revokes (repeatably, keeping the first time); a revoked token is a 401', async () => {
    const b = await api('POST', '/offices/TKB/tokens', { label: 'B ลบ' });
    const idB = b.json.id as string;
    // Another office's token id through A is not there.
    expect((await api('DELETE', `/offices/TKA/tokens/${idB}`)).status).toBe(404);
    expect((await api('DELETE', '/offices/TKA/tokens/not-a-uuid')).status).toBe(404);
    expect((await api('GET', '/offices/TKB', undefined, b.json.token as string)).status).toBe(200);

    const res = await api('DELETE', `/offices/TKA/tokens/${idA}`);
    expect(res.status).toBe(200);
    expect(res.json.revokedAt).toEqual(expect.any(String));
    h.clock.now += 5_000;
    const again = await api('DELETE', `/offices/TKA/tokens/${idA}`);
    expect(again.json.revokedAt).toBe(res.json.revokedAt);
    const denied = await api('GET', '/offices/TKA', undefined, tokenA);
    expect(denied.status).toBe(401);
    expect(denied.json.error?.code).toBe('unauthorized');
    expect(await actors('TKA', 'admin_token.revoke')).toEqual(['deployment-token', 'deployment-token']);
    // The pages' session the token started ends with it.
    const page = await h.fetch('/admin/offices/TKA', { headers: { cookie: pagesA }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(await count(h.db.db, sql`admin_sessions WHERE token_id = ${idA} AND revoked_at IS NOT NULL`)).toBe(1);
  });

  it('a token-shaped string that was never issued is a 401', async () => {
    const res = await api('GET', '/offices/TKA', undefined, `nta_${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
  });
});

describe('npm run cli -- admin-token create', () => {
  it('prints a working token once and stores only its hash, audited as the CLI', async () => {
    const t = await cliTarget('nithet-tokens-');
    try {
      expect((await t.cli('seed', 'demo')).code).toBe(0);
      const made = await t.cli('admin-token', 'create', '--office', 'DEMO1', '--label', 'ผู้ดูแล CLI');
      expect(made.code, made.stderr).toBe(0);
      const token = made.stdout.trim();
      expect(token).toMatch(/^nta_[A-Za-z0-9_-]{43}$/);
      expect((await t.cli('admin-token', 'create', '--office', 'NOPE', '--label', 'x')).code).toBe(1);
      expect((await t.cli('admin-token', 'create', '--office', 'DEMO1')).code).toBe(2);
      const db = await openNodeDatabase({ databaseUrl: t.env.DATABASE_URL, dataDir: t.dataDir, migrate: false });
      try {
        const row = await one<{ label: string; actor: string }>(
          db.db,
          sql`SELECT t.label, a.actor FROM admin_tokens t
                JOIN audit_log a ON a.target_id = t.id::text AND a.action = 'admin_token.create'
               WHERE t.token_hash = ${await tokenHash(token)}`,
        );
        expect(row).toEqual({ label: 'ผู้ดูแล CLI', actor: 'cli' });
      } finally {
        await db.close();
      }
    } finally {
      await t.close();
    }
  }, 120_000);
});
