// Every built-in checklist answered end to end through the signed webhook, the way people really answer:
// mostly typed (Thai digits, labels, BE dates), some taps on the offered buttons, with a sticker, a typo and a
// stale button along the way, evidence photos fetched from LINE's content API, then review and submit.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBuiltins } from '../../src/checklists/builtin-files.js';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import type { Definition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import type { Role } from '../../src/db/schema.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { leafItem } from '../../src/checklists/answers.js';
import { JPEG } from '../support/files.js';

let h: Harness;
let demo: DemoSeed;
let definitions: Definition[];
let officeId: string;

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  definitions = (await readBuiltins()).flatMap((f) => (f.ok ? [f.definition] : []));
  officeId = demo.office.id;
  // The demo's first supervisor (main supervisor of network C1) links before anyone submits.
  const code = demo.personas.find((p) => p.role === 'supervisor')?.inviteCode ?? '';
  await h.webhook(body(ev.text(code, { user: SUPERVISOR })));
  await h.settle();
  await h.webhook(body(ev.text('ใช่', { user: SUPERVISOR }))); // whose account it is: confirmed
  await h.settle();
});
const SUPERVISOR = userId('demo-supervisor-1');
afterAll(() => h.close());

const thaiDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0e50 + Number(d)));

/** Who answers each built-in: school-scope ones the principal, the visit form the supervisor. */
const respondent: Record<string, Role> = {
  'needs-survey': 'teacher',
  'supervision-visit': 'supervisor',
  'office-standards': 'admin',
};

interface StoredState {
  seq: number;
  flow: { flow: string; at?: { kind: 'item' | 'more' | 'review'; key: string; repeat: number } };
}

async function stateOf(user: string): Promise<StoredState> {
  const row = await one<{ state: StoredState }>(
    h.db.db,
    sql`SELECT state FROM conversations WHERE line_user_id = ${user}`,
  );
  return row.state;
}

async function say(_who: string, event: unknown): Promise<string[]> {
  const before = h.line.replies().length;
  const res = await h.webhook(body(event));
  expect(res.status).toBe(200);
  await h.settle();
  const replies = h.line.replies().slice(before);
  expect(h.line.invalid()).toEqual([]);
  expect(replies.length).toBeLessThanOrEqual(1);
  return replies.flatMap((r) => replyTexts(r.body));
}

/** The quick-reply postback data the last reply offered, by label. */
function offered(): Map<string, string> {
  const last = h.line.replies().at(-1)?.body as {
    messages?: { quickReply?: { items: { action: { label?: string; data?: string } }[] } }[];
  };
  const map = new Map<string, string>();
  for (const m of last.messages ?? [])
    for (const i of m.quickReply?.items ?? []) if (i.action.data) map.set(i.action.label ?? '', i.action.data);
  return map;
}

describe.each([
  'iqa-6-steps',
  'sar-basic',
  'sar-early-childhood',
  'needs-survey',
  'pre-visit-self-assessment',
  'office-standards',
  'tumhome-progress',
  'quality-school-subdistrict',
  'supervision-visit',
])('built-in checklist %s through the webhook', (key) => {
  it('is answered from start to submit, with typed answers, taps, mistakes and photos', async () => {
    const def = definitions.find((d) => d.key === key);
    if (def === undefined) throw new Error(`missing built-in ${key}`);
    const role = respondent[key] ?? 'principal';
    const checklist = await findChecklist(h.db.db, officeId, key);
    const campaign = await upsertCampaign(h.db.db, {
      officeId,
      checklistId: checklist?.id ?? '',
      titleTh: `ทดสอบ ${def.title.th}`,
      roles: [role],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
      dueAt: new Date(h.clock.now + 7 * 86_400_000).toISOString(),
    });
    // A fresh person of that role, linked by invite code like anyone else.
    const user = userId(`walk-${key}`);
    const [person] = await queryRows<{ id: string }>(
      h.db.db,
      sql`INSERT INTO people (office_id, role, school_id, display_name)
            SELECT ${officeId}, ${role}, CASE WHEN ${role} IN ('teacher', 'principal') THEN
                   (SELECT id FROM schools WHERE office_id = ${officeId} AND code = '9999000001') END, ${`ผู้ทดสอบ ${key}`}
            RETURNING id`,
    );
    if (role === 'supervisor') {
      await h.db.db.execute(sql`INSERT INTO supervisor_assignments (office_id, supervisor_id, cluster_id, kind)
          SELECT ${officeId}, ${person?.id ?? ''}, id, 'main' FROM clusters WHERE office_id = ${officeId} AND code = 'C1'`);
    }
    const { issueInvites } = await import('../../src/onboarding/invites.js');
    const [invite] = await issueInvites(h.db.db, officeId, [person?.id ?? ''], h.clock.now);
    expect((await say(user, ev.text(invite?.code ?? '', { user }))).join()).toMatch(/ใช่ไหม/);
    expect((await say(user, ev.text('ใช่', { user }))).join()).toMatch(/ยินดีต้อนรับ/);

    const opened = await say(user, ev.postback(`a=open&c=${campaign.id}`, { user }));
    expect(opened.join()).toMatch(/ข้อ 1\/(?:ประมาณ )?\d+/);

    let moreAnswered = 0;
    let mistakes = 0;
    let photos = 0;
    for (let turn = 0; turn < 400; turn++) {
      const state = await stateOf(user);
      if (state.flow.flow !== 'checklist') break;
      const at = state.flow.at;
      if (at === undefined) throw new Error('no position');
      if (at.kind === 'review') {
        const submit = [...offered().values()].find((d) => d.includes('a=submit'));
        const texts = await say(user, submit === undefined ? ev.text('ส่ง', { user }) : ev.postback(submit, { user }));
        expect(texts.join()).toMatch(/ส่ง .* เรียบร้อยแล้ว|ยังมีข้อที่จำเป็น/);
        continue;
      }
      if (at.kind === 'more') {
        await say(user, ev.text(moreAnswered++ === 0 ? 'ใช่' : 'ไม่ใช่', { user }));
        continue;
      }
      const item = leafItem(def, at.key);
      // Now and then, a mistake first: the same question must come back, nothing saved.
      if (turn % 7 === 3 && mistakes < 3) {
        mistakes++;
        const before = await count(h.db.db, sql`answers`);
        const kind = mistakes % 3;
        const texts = await say(
          user,
          kind === 1
            ? ev.sticker({ user })
            : kind === 2
              ? ev.postback('s=0&a=ans&v=1', { user })
              : ev.location({ user }),
        );
        expect(texts.some((t) => t.includes(item.label.th.slice(0, 20)))).toBe(true);
        expect(await count(h.db.db, sql`answers`)).toBe(before);
        expect((await stateOf(user)).flow.at).toEqual(at);
      }
      const taps = offered();
      let event: unknown;
      switch (item.type) {
        case 'yes_no':
          event = turn % 2 === 0 ? ev.text('ใช่ครับ', { user }) : ev.postback(taps.get('ใช่') ?? '', { user });
          break;
        case 'select_one':
          event =
            turn % 3 === 0 && taps.size > 0
              ? ev.postback([...taps.values()][0] ?? '', { user })
              : ev.text('๑', { user });
          break;
        case 'select_many':
          event = ev.text('1, 2', { user });
          break;
        case 'rating':
          event = turn % 2 === 0 ? ev.text(thaiDigits('4'), { user }) : ev.postback(taps.get('3 ดี') ?? '', { user });
          break;
        case 'number': {
          const v = Math.max(item.min ?? 0, Math.min(item.max ?? 50, 50));
          event = ev.text(thaiDigits(String(item.integer ? Math.round(v) : v)), { user });
          break;
        }
        case 'text':
          event = ev.text('มีการดำเนินงานตามแผน\nและติดตามผลทุกเดือน', { user });
          break;
        case 'date':
          // Today in Bangkok, typed with a Buddhist-Era year.
          event = ev.text('20/11/2569', { user });
          break;
        case 'photo': {
          const img = ev.image({ user });
          h.line.setContent(img.message.id, JPEG, 'image/jpeg');
          photos++;
          await say(user, img);
          const after = await stateOf(user);
          event =
            after.flow.at?.key === item.key && after.flow.at.repeat === at.repeat ? ev.text('เสร็จ', { user }) : null;
          break;
        }
        case 'acknowledge':
          event = ev.text('รับทราบ', { user });
          break;
        case 'note':
        case 'calculate':
        case 'document':
          // No built-in asks for a document; a note or calculation is never asked.
          throw new Error(`asked a ${item.type}`);
      }
      if (event !== null) {
        const texts = await say(user, event);
        const after = await stateOf(user);
        // Each answer moves on (or to the review); a refused one would repeat the same position.
        expect(
          after.flow.flow !== 'checklist' || JSON.stringify(after.flow.at) !== JSON.stringify(at),
          texts.join('\n'),
        ).toBe(true);
      }
    }

    const response = await one<{ status: string; id: string }>(
      h.db.db,
      sql`SELECT status, id FROM responses WHERE campaign_id = ${campaign.id}`,
    );
    expect(response.status).toBe('submitted');
    const stored = await count(h.db.db, sql`answers WHERE response_id = ${response.id}`);
    expect(stored).toBeGreaterThan(3);
    const calcs = def.items.filter((i) => i.type === 'calculate').map((i) => i.key);
    if (calcs.length > 0) {
      expect(
        await count(
          h.db.db,
          sql`answers WHERE response_id = ${response.id} AND item_key = ANY(${sql.param(calcs)}::text[])`,
        ),
      ).toBe(calcs.length);
    }
    if (photos > 0) {
      expect(await count(h.db.db, sql`evidence_files WHERE response_id = ${response.id} AND status = 'stored'`)).toBe(
        photos,
      );
    }
    expect(h.logs.join('\n')).not.toContain(user);
  });
});

describe('after submitting', () => {
  it("queued one notice per school submission for the school's linked main supervisor, and none for the others", async () => {
    // Queued for the supervisor's next daily bundle, which names them all in one push.
    const rows = await queryRows<{ kind: string; line_user_id: string; dedupe_key: string; text: string }>(
      h.db.db,
      sql`SELECT i.kind, p.line_user_id, i.key AS dedupe_key, i.data->>'text' AS text
            FROM outbox_items i JOIN people p ON p.id = i.person_id`,
    );
    // Seven walks were by a teacher or principal of a C1 school; the admin's and the supervisor's notify nobody.
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(7);
    for (const r of rows) {
      expect(r.kind).toBe('submitted');
      expect(r.line_user_id).toBe(SUPERVISOR);
      expect(r.text).toMatch(/^ผู้ทดสอบ .+ \(โรงเรียนบ้านหนองน้ำใส\) ส่ง "/);
    }
  });

  it('exports each campaign with columns from its version, and repeat groups as their own table', async () => {
    const { campaignHead, campaignResponses } = await import('../../src/checklists/export.queries.js');
    const { repeatTable, responsesTable } = await import('../../src/checklists/export.js');
    const [visit] = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT cp.id FROM campaigns cp JOIN checklists ck ON ck.id = cp.checklist_id
           WHERE ck.key = 'supervision-visit' AND cp.title_th LIKE 'ทดสอบ%'`,
    );
    const head = await campaignHead(h.db.db, officeId, visit?.id ?? '');
    const def = definitions.find((d) => d.key === 'supervision-visit');
    if (head === undefined || def === undefined) throw new Error('no visit campaign');
    const rows = await campaignResponses(h.db.db, head.id);
    const table = responsesTable(def, rows);
    expect(table).toHaveLength(2); // header + the walker's response
    expect(table[1]?.[1]).toBe('submitted');
    const repeat = def.items.find((i) => i.type === 'repeat');
    if (repeat?.type !== 'repeat') throw new Error('the visit form has action items');
    const actions = repeatTable(def, repeat, rows);
    expect(actions.length).toBeGreaterThan(1);
    expect(actions[1]?.[2]).toBe(1);
    // Another office cannot read this campaign.
    expect(await campaignHead(h.db.db, '00000000-0000-4000-8000-000000000000', head.id)).toBeUndefined();
  });
});
