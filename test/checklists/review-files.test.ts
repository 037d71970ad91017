// The review card names a checklist's files: documents by the names they were sent with, photos with a thumbnail
// whose URL is signed (no session on a LINE client) and serves only LINE's small preview, only while fresh.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { THUMB_TTL_MS, thumbUrl } from '../../src/checklists/thumbs.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { principalCampaign } from '../support/campaign.js';
import { SECRETS_KEY, startHarness, type Harness } from '../support/harness.js';
import { JPEG, PDF } from '../support/files.js';

let h: Harness;
let campaignId = '';
const user = userId('review-files-1');
const BASE = 'https://nithet.test';
const THUMB = new RegExp(`${BASE}/evidence-thumbs/([0-9a-f-]{36})/(\\d+)/([0-9a-f]{64})`, 'g');

const form = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'review-files',
  version: 1,
  title: { th: 'หลักฐานการจัดกิจกรรมลดเวลาเรียน' },
  scope: 'school',
  items: [
    { type: 'photo', key: 'site', label: { th: 'รูปกิจกรรม' }, maxFiles: 3 },
    { type: 'document', key: 'plan', label: { th: 'ไฟล์แผนกิจกรรม' }, maxFiles: 2 },
    { type: 'text', key: 'note', label: { th: 'หมายเหตุ' }, required: false },
  ],
});

beforeAll(async () => {
  // LINE loads images over https only: the deployment's public base is https here.
  h = await startHarness({ env: { PUBLIC_BASE_URL: BASE } });
  const demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  campaignId = await principalCampaign(h, demo, form.definition, 'หลักฐานกิจกรรม 2/2569');
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  await h.post(ev.text(code, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  await h.post(ev.postback(`a=open&c=${campaignId}`, { user }));
});
afterAll(() => h.close());

const path = (url: string) => url.slice(BASE.length);

describe('the review card', () => {
  let review = '';
  let urls: string[] = [];

  it('names each document and shows each photo as a thumbnail', async () => {
    for (let i = 0; i < 2; i++) {
      const img = ev.image({ user });
      h.line.setContent(img.message.id, JPEG, 'image/jpeg');
      await h.post(img);
    }
    await h.post(ev.text('เสร็จ', { user }));
    for (const name of ['แผนกิจกรรม ภาคเรียน 2.pdf', 'ตารางกิจกรรม.pdf']) {
      const file = ev.file(name, PDF.length, { user });
      h.line.setContent(file.message.id, PDF, 'application/pdf');
      await h.post(file);
    }
    review = JSON.stringify(await h.post(ev.text('ข้าม', { user })));
    expect(review).toContain('แผนกิจกรรม ภาคเรียน 2.pdf, ตารางกิจกรรม.pdf');
    expect(review).not.toMatch(/ไฟล์ 2 ไฟล์/);
    urls = [...review.matchAll(THUMB)].map((m) => m[0]);
    const photos = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM evidence_files WHERE file_name IS NULL AND thumb_key IS NOT NULL ORDER BY created_at`,
    );
    expect(photos).toHaveLength(2);
    expect(urls.map((u) => u.split('/')[4])).toEqual(photos.map((p) => p.id));
    // Nothing about the person, the school or the file in the URL: the id, the expiry and the MAC.
    for (const u of urls) expect(path(u).split('/')).toHaveLength(5);
  });

  it("serves LINE's preview at each URL without a session, and nothing once it expires or is altered", async () => {
    expect(urls).toHaveLength(2);
    for (const u of urls) {
      const res = await h.fetch(path(u));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(JPEG);
    }
    const first = urls[0] ?? '';
    const [, , , , id, exp, sig] = path(first).split('/');
    const flipped = `${sig?.slice(0, 63)}${sig?.endsWith('0') ? '1' : '0'}`;
    expect((await h.fetch(`/evidence-thumbs/${id}/${exp}/${flipped}`)).status).toBe(404);
    expect((await h.fetch(`/evidence-thumbs/${id}/${Number(exp) + 3600}/${sig}`)).status).toBe(404);
    expect((await h.fetch(`/evidence-thumbs/${crypto.randomUUID()}/${exp}/${sig}`)).status).toBe(404);
    // A correctly signed document id serves nothing: thumbnails are photos' previews only.
    const [doc] = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM evidence_files WHERE file_name IS NOT NULL LIMIT 1`,
    );
    const docUrl = await thumbUrl(SECRETS_KEY, BASE, doc?.id ?? '', h.clock.now);
    expect((await h.fetch(path(docUrl))).status).toBe(404);
    const saved = h.clock.now;
    h.clock.now = saved + THUMB_TTL_MS + 3_600_000;
    try {
      expect((await h.fetch(path(first))).status).toBe(404);
    } finally {
      h.clock.now = saved;
    }
  });
});
