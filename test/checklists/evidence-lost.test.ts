// A file LINE no longer gives: when the content fetch fails past the retries, the file's id leaves the answer (the
// item is unanswered again), the person is asked in their next bundle to send it again, and opening the checklist
// asks the item again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_MAX_ATTEMPTS } from '../../src/checklists/evidence.js';
import { DEFINITION_SCHEMA, validateFormDefinition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { principalCampaign } from '../support/campaign.js';
import { startHarness, type Harness } from '../support/harness.js';
import { JPEG, PDF } from '../support/files.js';

let h: Harness;
let campaignId = '';
const user = userId('evidence-lost-1');

const form = validateFormDefinition({
  schema: DEFINITION_SCHEMA,
  key: 'lost-files',
  version: 1,
  title: { th: 'ส่งแผนปฏิบัติการ' },
  scope: 'school',
  items: [
    { type: 'photo', key: 'site', label: { th: 'รูปป้ายโรงเรียน' }, maxFiles: 3 },
    { type: 'document', key: 'plan', label: { th: 'ไฟล์แผนปฏิบัติการประจำปี' }, maxFiles: 2 },
    { type: 'text', key: 'note', label: { th: 'หมายเหตุ' }, required: false },
  ],
});

const texts = (replies: unknown[]) => JSON.stringify(replies);
const pushesTo = () =>
  h.line
    .pushes()
    .map((p) => JSON.stringify(p.body))
    .filter((b) => b.includes(user));

beforeAll(async () => {
  h = await startHarness();
  const demo = await seedDemo(h.db.db, h.clock.now);
  if (!form.ok) throw new Error('invalid form');
  campaignId = await principalCampaign(h, demo, form.definition, 'ส่งแผนปฏิบัติการ 2570');
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  await h.post(ev.text(code, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  expect(texts(await h.post(ev.postback(`a=open&c=${campaignId}`, { user })))).toMatch(/รูปป้ายโรงเรียน/);
});
afterAll(() => h.close());

const answerOf = async (key: string) =>
  (
    await queryRows<{ value: unknown }>(
      h.db.db,
      sql`SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
           WHERE r.campaign_id = ${campaignId}::uuid AND a.item_key = ${key}`,
    )
  )[0]?.value;

describe('a file LINE no longer gives', () => {
  it('leaves the answer, is asked for again in the next bundle, and the item is asked again', async () => {
    // Two photos: LINE fails the first, the second is stored.
    const lost = ev.image({ user });
    const kept = ev.image({ user });
    h.line.setContent(lost.message.id, JPEG, 'image/jpeg');
    h.line.setContent(kept.message.id, JPEG, 'image/jpeg');
    h.line.failNext('/content', 500);
    await h.post(lost);
    await h.post(kept);
    expect(texts(await h.post(ev.text('เสร็จ', { user })))).toMatch(/ไฟล์แผนปฏิบัติการประจำปี/);
    const photos = await queryRows<{ id: string; status: string }>(
      h.db.db,
      sql`SELECT id, status FROM evidence_files WHERE file_name IS NULL ORDER BY created_at`,
    );
    expect(photos.map((p) => p.status)).toEqual(['pending', 'stored']);
    const file = ev.file('แผน 2570.pdf', PDF.length, { user });
    h.line.setContent(file.message.id, PDF, 'application/pdf');
    h.line.failNext('/content', 500);
    expect(texts(await h.post(file))).toMatch(/ได้รับไฟล์ที่ 1 แล้ว/);
    expect(texts(await h.post(ev.text('เสร็จ', { user })))).toMatch(/หมายเหตุ/);
    const [evidence] = await queryRows<{ id: string; status: string }>(
      h.db.db,
      sql`SELECT id, status FROM evidence_files WHERE line_message_id = ${file.message.id}`,
    );
    expect(evidence?.status).toBe('pending');
    expect(await answerOf('plan')).toEqual([evidence?.id]);

    // The tick retries a minute apart until the attempts are spent; the last one gives up on the file.
    h.line.failNext('/content', 500, 2 * (EVIDENCE_MAX_ATTEMPTS - 1));
    for (let i = 1; i < EVIDENCE_MAX_ATTEMPTS; i++) {
      expect((await tick(h.deps, h.clock.now + i * 120_000)).evidenceRetried).toBe(2);
    }
    const [failed] = await queryRows<{ status: string; attempts: number }>(
      h.db.db,
      sql`SELECT status, attempts FROM evidence_files WHERE id = ${evidence?.id ?? ''}::uuid`,
    );
    expect(failed).toEqual({ status: 'failed', attempts: EVIDENCE_MAX_ATTEMPTS });
    expect(await answerOf('plan')).toBeUndefined(); // its only file: the item is unanswered again

    // Monday's bundle carries the notice (Friday's had gone out), once.
    await tick(h.deps, h.clock.now + 3 * 86_400_000);
    const told = pushesTo().filter((b) => b.includes('แผน 2570.pdf'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/ส่งแผนปฏิบัติการ 2570/);
    expect(told[0]).toMatch(/ไม่สำเร็จ/);
    expect(told[0]).toContain(`a=open&c=${campaignId}`);
    expect(told[0]).toMatch(/ระบบรับรูปที่ท่านส่งไม่สำเร็จ/); // the photo's notice rides in the same bundle
    await tick(h.deps, h.clock.now + 4 * 86_400_000);
    expect(pushesTo().filter((b) => b.includes('แผน 2570.pdf'))).toHaveLength(1);

    // Opening the checklist asks the item again.
    const reopened = texts(await h.post(ev.postback(`a=open&c=${campaignId}`, { user })));
    expect(reopened).toMatch(/ไฟล์แผนปฏิบัติการประจำปี/);
    expect(reopened).toMatch(/PDF, Word หรือ Excel/);
    expect(reopened).not.toMatch(/หมายเหตุ/);
  });
});
