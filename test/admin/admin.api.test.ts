// Admin API v1: auth, office scoping, bulk validation naming row and field, and a registered channel's webhook.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, ev, userId } from '../support/events.js';
import { ADMIN, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const api = async (method: string, path: string, json?: unknown, token = ADMIN) => {
  const res = await h.fetch(`/admin/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(json === undefined ? {} : { body: typeof json === 'string' ? json : JSON.stringify(json) }),
  });
  return {
    status: res.status,
    json: await res.json<Record<string, unknown> & { error?: { code: string; issues?: unknown[] } }>(),
  };
};

const CHANNEL_SECRET = '0123456789abcdef0123456789abcdef';
const CHANNEL_TOKEN = 'office-two-access-token-xyz';

describe('admin API', () => {
  it('refuses a missing or wrong token with 401', async () => {
    expect((await h.fetch('/admin/api/v1/offices')).status).toBe(401);
    expect((await api('GET', '/offices', undefined, 'wrong-token-0123456789')).status).toBe(401);
  });

  it('creates an office (201), and the same code again updates it (200)', async () => {
    const first = await api('POST', '/offices', { code: 'OFF2', nameTh: 'สพม.ทดสอบ' });
    expect(first.status).toBe(201);
    const again = await api('POST', '/offices', { code: 'OFF2', nameTh: 'สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบ' });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    await api('POST', '/offices', { code: 'OFF3', nameTh: 'สพป.อื่น' });
    const list = await api('GET', '/offices');
    expect((list.json.items as { code: string }[]).map((o) => o.code)).toEqual(['OFF2', 'OFF3']);
    expect(list.json.nextCursor).toBeNull();
  });

  it('names the row and field of every bad row, and writes nothing', async () => {
    const bad = await api('POST', '/offices/OFF2/schools', {
      schools: [
        { code: '1010101010', nameTh: 'โรงเรียนทดสอบหนึ่ง' },
        { code: '12ab', nameTh: 'โรงเรียนผิดรหัส' },
        { code: '1010101012', nameTh: '' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('invalid_request');
    expect(bad.json.error?.issues).toEqual([
      { row: 1, field: 'code', message: 'an OBEC school code of 8–10 digits' },
      { row: 2, field: 'nameTh', message: expect.any(String) },
    ]);
    expect(await count(h.db.db, sql`schools`)).toBe(0);

    const dup = await api('POST', '/offices/OFF2/schools', {
      schools: [
        { code: '1010101010', nameTh: 'ก' },
        { code: '1010101010', nameTh: 'ข' },
      ],
    });
    expect(dup.json.error?.issues).toEqual([{ row: 1, field: 'code', message: 'duplicate of schools row 0' }]);
  });

  it('upserts schools with clusters, then people with invites; a repeat updates the same people', async () => {
    const schools = await api('POST', '/offices/OFF2/schools', {
      schools: [
        { code: '1010101010', nameTh: 'โรงเรียนทดสอบหนึ่ง', clusterCode: 'N1', clusterNameTh: 'เครือข่ายหนึ่ง' },
        { code: '1010101011', nameTh: 'โรงเรียนทดสอบสอง', clusterCode: 'N1' },
      ],
    });
    expect(schools.json).toEqual({ upserted: 2 });

    const badPeople = await api('POST', '/offices/OFF2/people', {
      people: [
        { displayName: 'ครูหนึ่ง ทดสอบ', role: 'teacher', schoolCode: '1010101010' },
        { displayName: 'ครูสอง ทดสอบ', role: 'janitor', schoolCode: '1010101010' },
        { displayName: 'ครูสาม ทดสอบ', role: 'teacher', schoolCode: '9999999999' },
        { displayName: 'ผอ.สี่ ทดสอบ', role: 'principal' },
      ],
    });
    expect(badPeople.status).toBe(400);
    expect(badPeople.json.error?.issues).toEqual([{ row: 1, field: 'role', message: expect.any(String) }]);
    const unknownSchool = await api('POST', '/offices/OFF2/people', {
      people: [
        { displayName: 'ครูสาม ทดสอบ', role: 'teacher', schoolCode: '9999999999' },
        { displayName: 'ผอ.สี่ ทดสอบ', role: 'principal' },
      ],
    });
    expect(unknownSchool.json.error?.issues).toEqual([
      { row: 0, field: 'schoolCode', message: 'no school with code 9999999999 in this office' },
      { row: 1, field: 'schoolCode', message: 'a principal needs a school' },
    ]);

    const people = [
      { displayName: 'ครูหนึ่ง ทดสอบ', role: 'teacher', schoolCode: '1010101010', externalId: 't1' },
      { displayName: 'ผอ.สอง ทดสอบ', role: 'principal', schoolCode: '1010101011', externalId: 'p2' },
    ];
    const created = await api('POST', '/offices/OFF2/people', { people });
    expect(created.status).toBe(200);
    const rows = created.json.people as { row: number; id: string; inviteCode: string }[];
    expect(rows.map((r) => r.row)).toEqual([0, 1]);
    rows.forEach((r) => expect(r.inviteCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/));

    const repeated = await api('POST', '/offices/OFF2/people', { people, issueInvites: false });
    expect((repeated.json.people as { id: string }[]).map((p) => p.id)).toEqual(rows.map((r) => r.id));
    expect(await count(h.db.db, sql`people`)).toBe(2);
    // Invites are stored hashed, never in plain text.
    expect(await count(h.db.db, sql`invites WHERE code_hash LIKE ${`%${rows[0]?.inviteCode ?? 'x'}%`}`)).toBe(0);
  });

  it('keeps offices apart: a person of one office cannot be invited through another', async () => {
    const other = await api('POST', '/offices/OFF3/invites', {
      personIds: [await firstPersonId('OFF2'), '00000000-0000-4000-8000-00000000000f'],
    });
    expect(other.status).toBe(400);
    expect(other.json.error?.issues).toEqual([
      { row: 0, field: 'personIds', message: 'no such person in this office' },
      { row: 1, field: 'personIds', message: 'no such person in this office' },
    ]);
    expect((await api('POST', '/offices/NOPE/invites', { personIds: [] })).status).toBe(404);
  });

  it('registers a channel (credentials encrypted at rest) whose webhook serves that office only', async () => {
    const bad = await api('PUT', '/offices/OFF2/channel', {
      name: 'x',
      channelSecret: 'short',
      channelAccessToken: CHANNEL_TOKEN,
    });
    expect(bad.json.error?.issues).toEqual([{ field: 'channelSecret', message: 'a 32-character hex channel secret' }]);

    const reg = await api('PUT', '/offices/OFF2/channel', {
      name: 'สพม.ทดสอบ OA',
      channelSecret: CHANNEL_SECRET,
      channelAccessToken: CHANNEL_TOKEN,
    });
    expect(reg.json).toEqual({ id: 'off2', webhookPath: '/webhook/off2' });
    expect(
      await count(
        h.db.db,
        sql`line_channels WHERE secret_enc LIKE ${`%${CHANNEL_SECRET}%`} OR access_token_enc LIKE ${`%${CHANNEL_TOKEN}%`}`,
      ),
    ).toBe(0);
    expect(
      (
        await api('PUT', '/offices/OFF3/channel', {
          id: 'off2',
          name: 'steal',
          channelSecret: CHANNEL_SECRET,
          channelAccessToken: CHANNEL_TOKEN,
        })
      ).status,
    ).toBe(409);

    // The env channel's secret does not open the registered channel.
    expect((await h.webhook(body(ev.follow()), { path: '/webhook/off2' })).status).toBe(401);

    const user = userId('reg-1');
    const res = await h.webhook(body(ev.follow({ user })), { path: '/webhook/off2', secret: CHANNEL_SECRET });
    expect(res.status).toBe(200);
    await h.settle();
    const reply = h.line.replies().at(-1);
    expect(reply?.headers.authorization).toBe(`Bearer ${CHANNEL_TOKEN}`);

    // An invite of OFF3 is refused on OFF2's channel; OFF2's own is accepted.
    const off3 = await api('POST', '/offices/OFF3/schools', { schools: [{ code: '2020202020', nameTh: 'โรงเรียนอื่น' }] });
    expect(off3.status).toBe(200);
    const stranger = await api('POST', '/offices/OFF3/people', {
      people: [{ displayName: 'ครูต่างเขต', role: 'teacher', schoolCode: '2020202020' }],
    });
    const foreignCode = (stranger.json.people as { inviteCode: string }[])[0]?.inviteCode ?? '';
    await h.webhook(body(ev.text(foreignCode, { user })), { path: '/webhook/off2', secret: CHANNEL_SECRET });
    await h.settle();
    expect(replyTexts(h.line.replies().at(-1)?.body).join()).toMatch(/สำนักงานอื่น/);

    const own = await api('POST', '/offices/OFF2/invites', { personIds: [await firstPersonId('OFF2')] });
    const ownCode = (own.json.invites as { code: string }[])[0]?.code ?? '';
    await h.webhook(body(ev.text(ownCode, { user })), { path: '/webhook/off2', secret: CHANNEL_SECRET });
    await h.settle();
    expect(replyTexts(h.line.replies().at(-1)?.body).join()).toMatch(/บัญชีของ ครูหนึ่ง ทดสอบ/);
    await h.webhook(body(ev.text('ใช่', { user })), { path: '/webhook/off2', secret: CHANNEL_SECRET });
    await h.settle();
    expect(replyTexts(h.line.replies().at(-1)?.body).join()).toMatch(/ยินดีต้อนรับ คุณครูหนึ่ง ทดสอบ/);
    // The same LINE user id on the env channel is someone else: a new conversation.
    expect(await count(h.db.db, sql`conversations WHERE line_user_id = ${user}`)).toBe(1);
    expect(await count(h.db.db, sql`people WHERE line_user_id = ${user} AND channel_id = 'off2'`)).toBe(1);
  });

  it('audits every change', async () => {
    const list = (await queryRows<{ action: string }>(h.db.db, sql`SELECT action FROM audit_log ORDER BY id`)).map(
      (r) => r.action,
    );
    expect(list).toEqual(
      expect.arrayContaining([
        'office.create',
        'office.update',
        'schools.upsert',
        'people.upsert',
        'invites.issue',
        'channel.register',
      ]),
    );
  });
});

async function firstPersonId(office: string): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT p.id FROM people p JOIN offices o ON o.id = p.office_id WHERE o.code = ${office} ORDER BY p.display_name LIMIT 1`,
  );
  return rows[0]?.id ?? '';
}
