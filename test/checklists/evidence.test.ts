// Evidence photos: fetched from LINE's content API after the commit, retried by the tick when LINE failed,
// refused (with a reason an admin can read) when the file is not a photo or too large.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { tick } from '../../src/scheduler/tick.js';
import { body, ev, userId } from '../support/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { JPEG } from '../support/files.js';

let h: Harness;
let demo: DemoSeed;
const user = userId('evidence-1');

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now);
  const ck = await findChecklist(h.db.db, demo.office.id, 'iqa-6-steps');
  const campaign = await upsertCampaign(h.db.db, {
    officeId: demo.office.id,
    checklistId: ck?.id ?? '',
    titleTh: 'หลักฐาน',
    roles: ['principal'],
    schoolIds: [],
    clusterIds: [],
    opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
    dueAt: new Date(h.clock.now + 86_400_000).toISOString(),
  });
  const code = demo.personas.find((p) => p.role === 'principal')?.inviteCode ?? '';
  for (const e of [
    ev.text(code, { user }),
    ev.text('ใช่', { user }), // whose account it is: confirmed
    ev.postback(`a=open&c=${campaign.id}`, { user }),
    ev.text('ใช่', { user }),
  ]) {
    await h.webhook(body(e));
  }
  await h.settle();
});
afterAll(() => h.close());

const files = () =>
  queryRows<{
    line_message_id: string;
    status: string;
    last_error: string | null;
    attempts: number;
    storage_key: string | null;
  }>(
    h.db.db,
    sql`SELECT line_message_id, status, last_error, attempts, storage_key FROM evidence_files ORDER BY created_at`,
  );

describe('evidence photos', () => {
  it('a fetch that failed at the webhook is retried by the tick and stored', async () => {
    const img = ev.image({ user });
    h.line.setContent(img.message.id, JPEG, 'image/jpeg');
    h.line.failNext('/content', 500);
    await h.webhook(body(img));
    await h.settle();
    expect((await files()).at(-1)).toMatchObject({ status: 'pending', attempts: 1 });
    // A tick a minute later picks it up.
    const result = await tick(h.deps, h.clock.now + 120_000);
    expect(result.evidenceRetried).toBe(1);
    const [file] = await files();
    expect(file).toMatchObject({ status: 'stored', attempts: 1, last_error: null });
    const stored = await h.deps.blobs.get(file?.storage_key ?? '');
    expect(stored?.contentType).toBe('image/jpeg');
    expect(Buffer.from(stored?.data ?? [])).toEqual(JPEG);
  });

  it.each([
    ['a video sent as a file', Buffer.from('not a photo'), 'video/mp4', /type video\/mp4 is not a photo/],
    ['a photo over 10 MB', Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'image/jpeg', /over the limit/],
  ])('%s is refused with a reason', async (_, data, type, reason) => {
    const img = ev.image({ user });
    h.line.setContent(img.message.id, data, type);
    await h.webhook(body(img));
    await h.settle();
    const file = (await files()).find((f) => f.line_message_id === img.message.id);
    expect(file?.status).toBe('failed');
    expect(file?.last_error).toMatch(reason);
  });
});
