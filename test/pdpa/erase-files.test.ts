// PDPA erasure takes the person's evidence files out of the blob store: a principal sends a photo (kept with
// LINE's preview) and a PDF, erases their data in the chat, and from the commit on the evidence and thumbnail
// routes serve nothing; the next retention unit deletes the files and their previews from the store.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { thumbUrl } from '../../src/checklists/thumbs.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { principalCampaign } from '../support/campaign.js';
import { ev, userId } from '../support/events.js';
import { SECRETS_KEY, startHarness, type Harness } from '../support/harness.js';
import { personCookie } from '../support/web.js';
import { JPEG, PDF } from '../support/files.js';

let h: Harness;
let admin = '';
const user = userId('erase-files-1');
const BASE = 'https://nithet.test';

const form = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'erase-files',
  version: 1,
  title: { th: 'หลักฐานการประชุมผู้ปกครอง' },
  scope: 'school',
  items: [
    { type: 'photo', key: 'meeting', label: { th: 'รูปการประชุม' }, maxFiles: 1 },
    { type: 'document', key: 'minutes', label: { th: 'ไฟล์รายงานการประชุม' }, maxFiles: 1 },
  ],
});

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: BASE } });
  const demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  const campaignId = await principalCampaign(h, demo, form.definition, 'ประชุมผู้ปกครอง 2/2569');
  admin = await personCookie(h, demo, 'admin', 'erase-files-admin');
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  await h.post(ev.text(code, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  await h.post(ev.postback(`a=open&c=${campaignId}`, { user }));
});
afterAll(() => h.close());

const stored = () =>
  queryRows<{
    id: string;
    status: string;
    file_name: string | null;
    storage_key: string | null;
    thumb_key: string | null;
  }>(h.db.db, sql`SELECT id, status, file_name, storage_key, thumb_key FROM evidence_files ORDER BY created_at`);

function firstPostback(reply: unknown): string {
  const m = (reply as { messages: { quickReply?: { items: { action: { type: string; data?: string } }[] } }[] })
    .messages[0];
  const data = m?.quickReply?.items.find((i) => i.action.type === 'postback')?.action.data;
  if (data === undefined) throw new Error('no postback button');
  return data;
}

describe('erasure and evidence files', () => {
  it('deletes the erased person’s photo, its preview and their document from the store', async () => {
    const img = ev.image({ user });
    h.line.setContent(img.message.id, JPEG, 'image/jpeg');
    await h.post(img);
    const file = ev.file('รายงานการประชุม นายสมปอง.pdf', PDF.length, { user });
    h.line.setContent(file.message.id, PDF, 'application/pdf');
    await h.post(file);
    const before = await stored();
    expect(before.map((f) => f.status)).toEqual(['stored', 'stored']);
    const keys = before.flatMap((f) => [f.storage_key, f.thumb_key]).filter((k) => k !== null);
    expect(keys).toHaveLength(3); // the photo, its preview, the PDF
    for (const k of keys) expect(await h.deps.blobs.get(k)).not.toBeNull();
    const [photo, doc] = before;
    const thumb = (await thumbUrl(SECRETS_KEY, BASE, photo?.id ?? '', h.clock.now)).slice(BASE.length);
    const page = (id: string) =>
      h.fetch(`/admin/offices/DEMO1/evidence/${id}`, { headers: { cookie: admin }, redirect: 'manual' });
    expect((await h.fetch(thumb)).status).toBe(200);
    expect((await page(doc?.id ?? '')).status).toBe(200);

    const [ask] = await h.post(ev.text('ลบข้อมูลของฉัน', { user }));
    const [done] = await h.post(ev.postback(firstPostback(ask), { user }));
    expect(JSON.stringify(done)).toMatch(/ลบข้อมูลของท่านเรียบร้อยแล้ว/);
    // From the commit: nothing is served, and the document's name (personal here) is gone.
    expect((await h.fetch(thumb)).status).toBe(404);
    expect((await page(doc?.id ?? '')).status).toBe(404);
    expect((await page(photo?.id ?? '')).status).toBe(404);
    expect((await stored()).map((f) => [f.status, f.file_name])).toEqual([
      ['erased', null],
      ['erased', ''],
    ]);

    // The next retention unit deletes the blobs and forgets their keys.
    await tick(h.deps, h.clock.now + 3_600_000);
    for (const k of keys) expect(await h.deps.blobs.get(k)).toBeNull();
    expect((await stored()).map((f) => [f.storage_key, f.thumb_key])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});
