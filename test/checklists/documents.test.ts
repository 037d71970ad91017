// Evidence documents: a LINE file message answers a document item when its name says PDF, Word or Excel and it is
// at most 10 MB; after the commit it is fetched and kept only when its first bytes agree with its name and it is
// within 10 MB. A refused file leaves its answer and the person's next bundle names it and says why.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { principalCampaign } from '../support/campaign.js';
import { startHarness, type Harness } from '../support/harness.js';
import { PDF } from '../support/files.js';

let h: Harness;
let demo: DemoSeed;
const user = userId('documents-1');
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

const orders = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'orders-files',
  version: 1,
  title: { th: 'ส่งคำสั่งแต่งตั้งคณะกรรมการ' },
  scope: 'school',
  items: [
    { type: 'document', key: 'order', label: { th: 'ไฟล์คำสั่งแต่งตั้ง' }, maxFiles: 2 },
    { type: 'text', key: 'remark', label: { th: 'ข้อความถึงศึกษานิเทศก์' }, required: false },
  ],
});

const texts = (replies: unknown[]) => JSON.stringify(replies);
let ordersCampaign = '';

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  const campaign = await principalCampaign(h, demo, form.definition, 'ส่งไฟล์หลักฐาน', 1);
  if (!orders.ok) throw new Error('invalid form');
  ordersCampaign = await principalCampaign(h, demo, orders.definition, 'ส่งคำสั่งแต่งตั้ง 2570');
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  await h.post(ev.text(code, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  const opened = await h.post(ev.postback(`a=open&c=${campaign}`, { user }));
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
    // The false .docx was refused right after its commit and left the answer: this is the second file kept.
    expect(texts(r3)).toMatch(/ได้รับไฟล์ที่ 2 แล้ว/);
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

describe('a file LINE gives but that is refused', () => {
  it('leaves the answer, is named in the next bundle with why, and the item is asked again', async () => {
    const opened = await h.post(ev.postback(`a=open&c=${ordersCampaign}`, { user }));
    expect(texts(opened)).toMatch(/ไฟล์คำสั่งแต่งตั้ง/);
    // Named a PDF, but its bytes are a Word package; named a workbook, declared small, but LINE serves over 10 MB.
    const fake = ev.file('คำสั่ง 12-2570.pdf', DOCX.length, { user });
    h.line.setContent(fake.message.id, DOCX, 'application/pdf');
    const big = ev.file('รายชื่อกรรมการ.xlsx', 2048, { user });
    h.line.setContent(big.message.id, Buffer.alloc(10 * 1024 * 1024 + 1, 0x50), 'application/octet-stream');
    expect(texts(await h.post(fake))).toMatch(/ได้รับไฟล์ที่ 1 แล้ว/);
    // The first left the answer when its bytes were read, so this one is the first again.
    expect(texts(await h.post(big))).toMatch(/ได้รับไฟล์ที่ 1 แล้ว/);
    // Neither is kept: "เสร็จ" finds the item without a file.
    expect(texts(await h.post(ev.text('เสร็จ', { user })))).toMatch(/ต้องมีไฟล์หลักฐานอย่างน้อย 1 ไฟล์/);
    const refused = await queryRows<{ status: string; last_error: string }>(
      h.db.db,
      sql`SELECT status, last_error FROM evidence_files
           WHERE line_message_id IN (${fake.message.id}, ${big.message.id}) ORDER BY created_at`,
    );
    expect(refused.map((f) => f.status)).toEqual(['failed', 'failed']);
    const [answer] = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM answers a JOIN responses r ON r.id = a.response_id
           WHERE r.campaign_id = ${ordersCampaign}::uuid AND a.item_key = 'order'`,
    );
    expect(answer?.n).toBe(0); // both its files refused: unanswered again

    // Monday's bundle names each file and why, once, with the checklist's open button.
    await tick(h.deps, h.clock.now + 3 * 86_400_000);
    const mine = () =>
      h.line
        .pushes()
        .map((p) => JSON.stringify(p.body))
        .filter((b) => b.includes(user) && b.includes('คำสั่ง 12-2570.pdf'));
    expect(mine()).toHaveLength(1);
    const told = mine()[0] ?? '';
    expect(told).toContain('ไฟล์ \\"คำสั่ง 12-2570.pdf\\" ไม่ใช่ PDF, Word หรือ Excel');
    expect(told).toContain('ไฟล์ \\"รายชื่อกรรมการ.xlsx\\" ใหญ่เกิน 10 MB');
    expect(told).toContain(`a=open&c=${ordersCampaign}`);
    await tick(h.deps, h.clock.now + 4 * 86_400_000);
    expect(mine()).toHaveLength(1);

    // Opening the checklist asks for the file again.
    const again = texts(await h.post(ev.postback(`a=open&c=${ordersCampaign}`, { user })));
    expect(again).toMatch(/ไฟล์คำสั่งแต่งตั้ง/);
    expect(again).toMatch(/PDF, Word หรือ Excel/);
  });
});
