// Poison events never wedge a channel (issue 12.1). Text with NUL or a lone surrogate is stored cleaned; a turn that
// fails for good (a data error, SQLSTATE class 22/23) is marked processed, logged with its id and code, and
// answered with an apology and the current question, while the other events of the same delivery go on.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { adminApi } from '../admin/api.js';
import { body, ev, userId } from '../support/events.js';
import { persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
let demo: DemoSeed;
let campaignId: string;
beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  const api = adminApi(h);
  const def = await api('POST', '/offices/DEMO1/checklists', {
    schema: 'nithet.checklist/1',
    key: 'poison-note',
    version: 1,
    title: { th: 'บันทึกสั้น' },
    scope: 'person',
    items: [
      { type: 'text', key: 'note', label: { th: 'บันทึกของท่าน' } },
      { type: 'yes_no', key: 'ok', label: { th: 'เรียบร้อยหรือไม่' } },
    ],
  });
  expect(def.status).toBe(201);
  const camp = await api('POST', '/offices/DEMO1/campaigns', {
    titleTh: 'บันทึกสั้นทดสอบ',
    checklistKey: 'poison-note',
    roles: ['teacher', 'principal'],
    dueAt: '2026-12-31',
  });
  expect(camp.status).toBe(201);
  campaignId = String(camp.json.id);
});
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
  h.line.reset();
});

const TEACHER = userId('poison-teacher');
const PRINCIPAL = userId('poison-principal');

async function linkAndOpen(user: string, role: string): Promise<void> {
  await h.post(ev.text(persona(demo, role).inviteCode, { user }));
  await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  await h.post(ev.postback(`a=open&c=${campaignId}`, { user }));
}

const noteOf = (user: string) =>
  one<{ value: unknown }>(
    h.db.db,
    sql`SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
         JOIN people p ON p.id = r.started_by
        WHERE p.line_user_id = ${user} AND a.item_key = 'note'`,
  );

describe('input normalisation', () => {
  it('NUL, other control characters and a lone surrogate are cleaned, and the answer is stored', async () => {
    await linkAndOpen(TEACHER, 'teacher');
    const res = await h.webhook(body(ev.text('ก\u0000ข\u0007ค\ud800ง\tจ\nฉ\u0085', { user: TEACHER })));
    expect(res.status).toBe(200);
    await h.settle();
    expect((await noteOf(TEACHER)).value).toBe('กขค\ufffdง จ\nฉ');
  });
});

describe('a turn that fails for good', () => {
  it('is marked processed, logged with its id and code, apologised for with the question again; the batch goes on', async () => {
    await linkAndOpen(PRINCIPAL, 'principal');
    const other = userId('poison-other');
    await h.post(ev.follow({ user: other }));
    // A data error the code cannot foresee: this database refuses every answer row whose text is "พิษ".
    await h.db.db.execute(
      sql.raw(`
      CREATE OR REPLACE FUNCTION poison_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.value = '"พิษ"'::jsonb THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$`),
    );
    await h.db.db.execute(
      sql.raw(
        'CREATE TRIGGER poison_answer BEFORE INSERT OR UPDATE ON answers FOR EACH ROW EXECUTE FUNCTION poison_answer()',
      ),
    );
    try {
      const poison = ev.text('พิษ', { user: PRINCIPAL });
      await h.post(ev.text(persona(demo, 'director').inviteCode, { user: other }));
      const next = ev.text('ใช่', { user: other }); // whose account it is: confirmed
      const before = h.line.replies().length;
      const res = await h.webhook(body(poison, next));
      expect(res.status).toBe(200);
      await h.settle();
      // The other user's event went on: linked.
      expect(await count(h.db.db, sql`people WHERE line_user_id = ${other} AND status = 'active'`)).toBe(1);
      // The poison event is marked processed, so a redelivery is a duplicate and nothing is answered twice.
      expect(await count(h.db.db, sql`processed_events WHERE webhook_event_id = ${poison.webhookEventId}`)).toBe(1);
      const replies = h.line.replies().slice(before);
      const apologies = replies.filter((r) => replyTexts(r.body).some((t) => t.startsWith('ขออภัย บันทึกข้อความนี้ไม่ได้')));
      expect(apologies).toHaveLength(1);
      // ... with the current question again.
      expect(replyTexts(apologies[0]?.body).join('\n')).toContain('บันทึกของท่าน');
      expect(await count(h.db.db, sql`answers WHERE value = '"พิษ"'::jsonb`)).toBe(0);
      const logged = h.logs.find((l) => l.includes('turn failed for good'));
      expect(logged).toContain(poison.webhookEventId);
      expect(logged).toContain('22023');

      const again = await h.webhook(body({ ...poison, deliveryContext: { isRedelivery: true } }));
      expect(again.status).toBe(200);
      await h.settle();
      expect(h.line.replies().length).toBe(before + replies.length);
    } finally {
      await h.db.db.execute(sql.raw('DROP TRIGGER poison_answer ON answers'));
    }
  });
});
