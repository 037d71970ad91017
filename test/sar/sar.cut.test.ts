// A director's digest cut on the SAR card (issue 16.1): the card that rides with Monday's digest, the typed
// "สรุป SAR" and the card's "ดูรายชื่อ" count only the schools in the cut (schoolInCut, the digest's rule) and the
// card's heading names the cut as the digest's does; a director without a cut keeps the office-wide card. Through
// the real tick and the signed webhook, validated by the fake LINE server.
import { sql } from 'drizzle-orm';
import type { messagingApi } from '@line/bot-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople } from '../../src/admin/admin.queries.js';
import { personPatch, updatePerson } from '../../src/admin/people.actions.js';
import { queryRows } from '../../src/db/client.js';
import { parseBody, renderBody } from '../../src/outbox/bundle.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { school, seedSar, type SarFixture, TITLE } from './fixture.js';

let h: Harness;
let f: SarFixture;
const TAG = 'โรงเรียนคุณภาพประจำตำบล';
// The fixture's SAR is due Tuesday 10 November 2026; the next Monday's digest carries its card.
const MONDAY_W47 = Date.parse('2026-11-16T01:00:00Z');
let whole = { id: '', user: '' };
let cut = { id: '', user: '' };
let officeName = '';

beforeAll(async () => {
  h = await startHarness();
  f = await seedSar(h.db.db, h.clock.now);
  const office = f.demo.office.id;
  // A second director of the demo office, who follows only the project's schools: school 0 (below target on
  // standard 1) and school 1 (on standard 2); school 6, below on standard 3, is outside the cut.
  await upsertPeople(h.db.db, office, [
    {
      id: crypto.randomUUID(),
      displayName: 'รอง ผอ.สพท. ทดสอบ ตัดเฉพาะ',
      role: 'director',
      schoolId: null,
      externalId: 'cut-director',
    },
  ]);
  const linked = await queryRows<{ id: string; user: string; external_id: string; office_name: string }>(
    h.db.db,
    sql`UPDATE people p SET status = 'active', channel_id = 'default', line_user_id = 'U' || md5(p.id::text),
                            linked_at = now()
          FROM offices o
         WHERE p.office_id = ${office}::uuid AND o.id = p.office_id AND p.external_id IN ('demo-director', 'cut-director')
        RETURNING p.id, p.line_user_id AS user, p.external_id, o.name_th AS office_name`,
  );
  whole = linked.find((p) => p.external_id === 'demo-director') ?? whole;
  cut = linked.find((p) => p.external_id === 'cut-director') ?? cut;
  officeName = linked[0]?.office_name ?? '';
  await h.db.db.execute(sql`UPDATE schools SET tags = ARRAY[${TAG}]::text[]
                             WHERE office_id = ${office}::uuid AND code IN (${school(0).code}, ${school(1).code})`);
  await updatePerson(h.db.db, office, cut.id, personPatch.parse({ digestCut: { tags: [TAG] } }), {
    now: h.clock.now,
    actor: 'test',
  });
}, 180_000);
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
  h.line.reset();
});

type Flex = messagingApi.FlexMessage;
const isFlex = (m: messagingApi.Message | undefined): m is Flex => m?.type === 'flex';

/** The SAR card in a person's Monday digest, as the sender renders it. */
async function mondayCard(personId: string): Promise<Flex | undefined> {
  const [row] = await queryRows<{ body: unknown }>(
    h.db.db,
    sql`SELECT b.body FROM outbox_items i JOIN outbox_bodies b ON b.hash = (i.data->>'b')::uuid
         WHERE i.kind = 'digest' AND i.key = 'digest:2026-W47' AND i.person_id = ${personId}::uuid`,
  );
  const card = row === undefined ? undefined : renderBody(parseBody(row.body))[1];
  return isFlex(card) ? card : undefined;
}

describe("the SAR card by a director's cut", () => {
  it('Monday: the cut director’s card counts only the cut’s schools and names the cut; the other keeps the office', async () => {
    h.clock.now = MONDAY_W47;
    await tick(h.deps, MONDAY_W47);
    const office = await mondayCard(whole.id);
    const mine = await mondayCard(cut.id);
    expect(office?.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`);
    expect(JSON.stringify(office?.contents)).not.toContain('เฉพาะโรงเรียน');
    expect(JSON.stringify(office?.contents)).toContain(`a=sar&k=below&c=${f.campaignId}&n=s3`);
    // The cut: two schools, both submitted; standards 1 and 2 have a school below target, standard 3 none.
    expect(mine?.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 2/2 โรงเรียน`);
    const json = JSON.stringify(mine?.contents);
    expect(json).toContain(`${officeName} · เฉพาะโรงเรียน: โครงการ ${TAG}`);
    expect(json).toContain(`a=sar&k=below&c=${f.campaignId}&n=s1`);
    expect(json).toContain(`a=sar&k=below&c=${f.campaignId}&n=s2`);
    expect(json).not.toContain(`n=s3`);
  });

  it('typed "สรุป SAR": the same card for each', async () => {
    const [office] = await h.post(ev.text('สรุป SAR', { user: whole.user }));
    const [mine] = await h.post(ev.text('สรุป SAR', { user: cut.user }));
    const card = (body: unknown) =>
      typeof body === 'object' && body !== null && 'messages' in body && Array.isArray(body.messages)
        ? (body.messages[0] as Flex | undefined)
        : undefined;
    expect(card(office)?.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`);
    expect(JSON.stringify(card(office)?.contents)).not.toContain('เฉพาะโรงเรียน');
    expect(card(mine)?.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 2/2 โรงเรียน`);
    expect(JSON.stringify(card(mine)?.contents)).toContain(`${officeName} · เฉพาะโรงเรียน: โครงการ ${TAG}`);
  });

  it('"ดูรายชื่อ": only the cut’s schools below target', async () => {
    const below = async (user: string, standard: string) =>
      replyTexts((await h.post(ev.postback(`a=sar&k=below&c=${f.campaignId}&n=${standard}`, { user })))[0]).join('\n');
    expect(await below(whole.user, 's3')).toContain(school(6).nameTh);
    const none = await below(cut.user, 's3');
    expect(none).toMatch(/^ไม่มีโรงเรียนที่ต่ำกว่าค่าเป้าหมาย: มาตรฐานที่ 3/);
    expect(none).not.toContain(school(6).nameTh);
    expect(await below(cut.user, 's1')).toContain(`• ${school(0).nameTh} (${school(0).code})`);
  });
});
