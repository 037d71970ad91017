// Evidence documents: a LINE file message answers a document item when its name says PDF, Word or Excel and it is
// at most 10 MB; after the commit it is fetched and kept only when its first bytes agree with its name.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let demo: DemoSeed;
const user = userId('documents-1');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const DOCX = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);

const form = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'sar-files',
  version: 1,
  title: { th: 'ส่งไฟล์หลักฐาน' },
  scope: 'school',
  items: [
    { type: 'document', key: 'sar', label: { th: 'ไฟล์รายงานการประเมินตนเอง (SAR)' }, maxFiles: 3 },
    { type: 'text', key: 'note', label: { th: 'หมายเหตุ' }, required: false },
  ],
});

const texts = (replies: unknown[]) => JSON.stringify(replies);

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  const published = await publishChecklist(h.db.db, demo.office.id, form.definition);
  const campaign = await upsertCampaign(h.db.db, {
    officeId: demo.office.id,
    checklistId: published.id,
    titleTh: 'ส่งไฟล์หลักฐาน',
    roles: ['principal'],
    schoolIds: [],
    clusterIds: [],
    opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
    dueAt: new Date(h.clock.now + 86_400_000).toISOString(),
  });
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  await h.post(ev.text(code, { user }));
  const opened = await h.post(ev.postback(`a=open&c=${campaign.id}`, { user }));
  expect(texts(opened)).toMatch(/ไฟล์รายงานการประเมินตนเอง/);
  expect(texts(opened)).toMatch(/PDF, Word หรือ Excel/);
});
afterAll(() => h.close());

const files = () =>
  queryRows<{ line_message_id: string; status: string; file_name: string | null; content_type: string | null }>(
    h.db.db,
    sql`SELECT line_message_id, status, file_name, content_type FROM evidence_files ORDER BY created_at`,
  );

describe('evidence documents', () => {
  it('refuses in chat a file whose name is not PDF, Word or Excel, or that is over 10 MB', async () => {
    const txt = await h.post(ev.file('notes.txt', 120, { user }));
    expect(texts(txt)).toMatch(/รับไฟล์ PDF, Word/);
    const big = await h.post(ev.file('sar.pdf', 10 * 1024 * 1024 + 1, { user }));
    expect(texts(big)).toMatch(/ใหญ่เกิน 10 MB/);
    const photo = await h.post(ev.image({ user }));
    expect(texts(photo)).toMatch(/รับไฟล์ PDF, Word/);
    expect(await files()).toEqual([]);
  });

  it('stores a PDF by name and magic bytes, and refuses a .docx whose bytes are a PDF', async () => {
    const pdf = ev.file('SAR 2569.pdf', PDF.length, { user });
    h.line.setContent(pdf.message.id, PDF, 'application/octet-stream');
    const r1 = await h.post(pdf);
    expect(texts(r1)).toMatch(/ได้รับไฟล์ที่ 1 แล้ว/);
    const fake = ev.file('plan.docx', PDF.length, { user });
    h.line.setContent(fake.message.id, PDF, 'application/octet-stream');
    await h.post(fake);
    const docx = ev.file('order.docx', DOCX.length, { user });
    h.line.setContent(docx.message.id, DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const r3 = await h.post(docx);
    // The third file reaches the item's maximum: onward to the next question.
    expect(texts(r3)).toMatch(/หมายเหตุ/);
    expect(await files()).toEqual([
      { line_message_id: pdf.message.id, status: 'stored', file_name: 'SAR 2569.pdf', content_type: 'application/pdf' },
      { line_message_id: fake.message.id, status: 'failed', file_name: 'plan.docx', content_type: null },
      {
        line_message_id: docx.message.id,
        status: 'stored',
        file_name: 'order.docx',
        content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    ]);
  });
});
