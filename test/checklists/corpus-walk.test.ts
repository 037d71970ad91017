// Every XLSForm of the corpus nobody here wrote (pyxform's test forms) and the three Thai forms that the reader
// accepts is published, sent as a campaign, and answered in chat by a scripted teacher through the signed webhook
// (the fake LINE server checks every reply), from the first question to submit. The ones it refuses are pinned,
// with their reasons, in xlsform-corpus.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafItem } from '../../src/checklists/answers.js';
import { publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { flattenForm } from '../../src/checklists/definition.js';
import { readXlsForm } from '../../src/checklists/xlsform/read.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';
import { JPEG } from '../support/files.js';

let h: Harness;
let demo: DemoSeed;
beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
});
afterAll(() => h.close());

const DIR = new URL('../fixtures/xlsform/', import.meta.url);
const forms = ['pyxform/', 'thai/'].flatMap((sub) =>
  readdirSync(new URL(sub, DIR))
    .filter((f) => f.endsWith('.xlsx'))
    .sort()
    .map((f) => `${sub}${f}`),
);
const PDF = Buffer.from('%PDF-1.7\n%%EOF\n');

/** Typed answers a teacher tries in turn while the bot keeps asking the same question (constraints differ). */
const TRIES: Record<string, string[]> = {
  yes_no: ['ใช่', 'ไม่ใช่'],
  rating: ['4', '3', '5'],
  select_one: ['1', '2', '3'],
  select_many: ['1', '1, 2', '2'],
  number: ['5', '1', '20', '0', '100', '2026'],
  text: ['มีการดำเนินงานตามแผน', 'ก', 'abc', '12345'],
  date: ['20/11/2569', '1/1/2569', '1/1/2570'],
  acknowledge: ['รับทราบ'],
};

interface StoredState {
  flow: { flow: string; at?: { kind: 'item' | 'more' | 'review'; key: string; repeat: number } };
}
const stateOf = async (user: string) =>
  (await one<{ state: StoredState }>(h.db.db, sql`SELECT state FROM conversations WHERE line_user_id = ${user}`)).state;

async function say(event: unknown): Promise<string[]> {
  const before = h.line.replies().length;
  expect((await h.webhook(body(event))).status).toBe(200);
  await h.settle();
  expect(h.line.invalid()).toEqual([]);
  return h.line
    .replies()
    .slice(before)
    .flatMap((r) => replyTexts(r.body));
}

/** The forms walked to submit, with how many answers their response stored. */
const walked = new Map<string, number>();

describe.each(forms)('%s', (file) => {
  it('is accepted and walked through in chat to submit, or refused', async () => {
    const read = await readXlsForm(new Uint8Array(readFileSync(new URL(file, DIR))), {
      fallbackKey: file.replace(/^.*\//, '').replace(/\.xlsx$/, ''),
    });
    if (!read.ok) {
      // Refused: which, and why, is pinned in xlsform-corpus.test.ts.
      expect(read.issues.length).toBeGreaterThan(0);
      return;
    }
    const def = flattenForm(read.definition);
    const officeId = demo.office.id;
    const published = await publishChecklist(h.db.db, officeId, read.definition);
    const campaign = await upsertCampaign(h.db.db, {
      officeId,
      checklistId: published.id,
      titleTh: def.title.th,
      roles: ['teacher', 'supervisor'],
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
      dueAt: new Date(h.clock.now + 7 * 86_400_000).toISOString(),
    });
    const user = userId(`corpus-${file}`);
    // A form choosing among the respondent's schools (the visit form) is answered by a supervisor with schools.
    const role = JSON.stringify(read.definition).includes('"choicesFrom"') ? 'supervisor' : 'teacher';
    const [person] = await queryRows<{ id: string }>(
      h.db.db,
      sql`INSERT INTO people (office_id, role, school_id, display_name)
            SELECT ${officeId}, ${role}, CASE WHEN ${role} = 'teacher' THEN
                   (SELECT id FROM schools WHERE office_id = ${officeId} AND code = '9999000001') END,
                   ${`ผู้ทดสอบ ${file}`}
            RETURNING id`,
    );
    if (role === 'supervisor') {
      await h.db.db.execute(sql`INSERT INTO supervisor_assignments (office_id, supervisor_id, cluster_id, kind)
          SELECT ${officeId}, ${person?.id ?? ''}, id, 'main' FROM clusters WHERE office_id = ${officeId} AND code = 'C1'`);
    }
    const { issueInvites } = await import('../../src/onboarding/invites.js');
    const [invite] = await issueInvites(h.db.db, officeId, [person?.id ?? ''], h.clock.now);
    await say(ev.text(invite?.code ?? '', { user }));
    await say(ev.text('ใช่', { user })); // whose account it is: confirmed
    expect((await say(ev.postback(`a=open&c=${campaign.id}`, { user }))).join()).toMatch(/ข้อ 1\/|ตรวจทาน/);

    let more = 0;
    let last = '';
    let tries = 0;
    let said: string[] = [];
    for (let turn = 0; turn < 300; turn++) {
      const at = (await stateOf(user)).flow.at;
      if (at === undefined) break;
      const here = JSON.stringify(at);
      tries = here === last ? tries + 1 : 0;
      last = here;
      if (at.kind === 'review') {
        await say(ev.text('ส่ง', { user }));
        continue;
      }
      if (at.kind === 'more') {
        await say(ev.text(more++ % 2 === 0 ? 'ใช่' : 'ไม่ใช่', { user }));
        continue;
      }
      const item = leafItem(def, at.key);
      if (item.type === 'photo' || item.type === 'document') {
        if (tries > 0) {
          await say(ev.text('เสร็จ', { user }));
          continue;
        }
        const e = item.type === 'photo' ? ev.image({ user }) : ev.file('หลักฐาน.pdf', PDF.length, { user });
        h.line.setContent(
          e.message.id,
          item.type === 'photo' ? JPEG : PDF,
          item.type === 'photo' ? 'image/jpeg' : 'application/pdf',
        );
        await say(e);
        continue;
      }
      const options = TRIES[item.type] ?? [];
      const answer = options[tries];
      if (answer === undefined) {
        // Every try refused: an optional question is skipped; a required one means the teacher is stuck.
        expect(
          item.type !== 'note' && item.type !== 'calculate' && !item.required,
          `stuck at ${here}: ${said.join('\n')}`,
        ).toBe(true);
        await say(ev.text('ข้าม', { user }));
        continue;
      }
      said = await say(ev.text(answer, { user }));
    }
    const response = await one<{ status: string; answers: number }>(
      h.db.db,
      sql`SELECT status, (SELECT count(*)::int FROM answers a WHERE a.response_id = r.id) AS answers
            FROM responses r WHERE campaign_id = ${campaign.id}`,
    );
    expect(response.status).toBe('submitted');
    expect(response.answers).toBeGreaterThan(0);
    walked.set(file, response.answers);
  });
});

describe('the corpus', () => {
  it('has every form the reader accepts walked to submit', () => {
    expect([...walked.keys()].sort()).toEqual([
      'pyxform/choice_filter_test.xlsx',
      'pyxform/extra_columns.xlsx',
      'pyxform/extra_sheet_names.xlsx',
      'pyxform/field-list.xlsx',
      'pyxform/specify_other.xlsx',
      'pyxform/survey_no_name.xlsx',
      'pyxform/text_and_integer.xlsx',
      'pyxform/yes_or_no_question.xlsx',
      'thai/needs-survey-other.xlsx',
      'thai/school-location-filter.xlsx',
      'thai/visit-actions.xlsx',
    ]);
  });
});
