// Checklist answering through the real webhook path in-process: database round trips per answered item, per
// evidence photo and per submit (counted at pg.Client.prototype.query), and the largest Flex message the bot
// produced (bytes) against LINE's limits, from a SAR answered with text as long as each item allows.
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import { readBuiltins } from '../src/checklists/builtin-files.js';
import { findChecklist, upsertCampaign } from '../src/checklists/checklists.queries.js';
import { parseEnv } from '../src/config/env.js';
import { queryRows } from '../src/db/client.js';
import { buildDeps } from '../src/deps.js';
import { seedDemo } from '../src/demo/seed.js';
import { signLineBody } from '../src/line/signature.js';
import { createLogger } from '../src/log.js';
import { issueInvites } from '../src/onboarding/invites.js';
import { fsBlobStore } from '../src/runtime/fs-blobs.js';
import { createTestDatabase } from '../test/support/db.js';
import { body, ev, userId } from '../test/support/events.js';
import { startFakeLine } from '../test/support/fake-line.js';
import { typedAnswer } from '../test/support/answerer.js';
import { addSummary, countPgQueries, histogram } from './support.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafItem } from '../src/checklists/answers.js';
import { JPEG } from '../test/support/files.js';

const SECRET = 'c'.repeat(32);

export async function run(): Promise<string> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const t = await createTestDatabase();
  const line = await startFakeLine();
  const blobs = mkdtempSync(join(tmpdir(), 'nithet-bench-'));
  const pending: Promise<unknown>[] = [];
  try {
    const config = parseEnv({
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: 'bench-token-0123456789',
      LINE_API_BASE_URL: line.url,
      LINE_DATA_API_BASE_URL: line.url,
    });
    const deps = buildDeps({
      config,
      db: t.db,
      log: createLogger('error', () => {}),
      blobs: fsBlobStore(blobs),
      defer: (w) => pending.push(w),
    });
    const app = createApp(() => deps);
    const post = async (event: unknown) => {
      const raw = JSON.stringify(body(event));
      const res = await app.fetch(
        new Request('http://bench/webhook', {
          method: 'POST',
          headers: { 'x-line-signature': await signLineBody(SECRET, raw) },
          body: raw,
        }),
      );
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      await Promise.all(pending.splice(0));
    };
    const demo = await seedDemo(t.db, Date.now());
    const defs = (await readBuiltins()).flatMap((f) => (f.ok ? [f.definition] : []));
    const counter = countPgQueries();
    const perKind = new Map<string, number[]>();
    const note = (kind: string, n: number) => perKind.set(kind, [...(perKind.get(kind) ?? []), n]);

    for (const key of ['sar-basic', 'iqa-6-steps', 'pre-visit-self-assessment']) {
      const def = defs.find((d) => d.key === key);
      const ck = await findChecklist(t.db, demo.office.id, key);
      if (def === undefined || ck === undefined) throw new Error(key);
      const campaign = await upsertCampaign(t.db, {
        officeId: demo.office.id,
        checklistId: ck.id,
        titleTh: `bench ${key}`,
        roles: ['principal'],
        schoolIds: [],
        clusterIds: [],
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      });
      // One principal per school: school-scope checklists have one response per school.
      const principals = await queryRows<{ id: string }>(
        t.db,
        sql`SELECT id FROM people WHERE office_id = ${demo.office.id} AND role = 'principal' ORDER BY external_id`,
      );
      for (const [i, p] of principals.slice(0, 4).entries()) {
        const user = userId(`bench-${key}-${i}`);
        const [invite] = await issueInvites(t.db, demo.office.id, [p.id], Date.now());
        await post(ev.text(invite?.code ?? '', { user }));
        await post(ev.text('ใช่', { user })); // whose account it is: confirmed
        let before = counter.count;
        await post(ev.postback(`a=open&c=${campaign.id}`, { user }));
        note('open a checklist', counter.count - before);
        for (let turn = 0; turn < 300; turn++) {
          const [row] = await queryRows<{ state: { flow: { flow: string; at?: { kind: string; key: string } } } }>(
            t.db,
            sql`SELECT state FROM conversations WHERE line_user_id = ${user}`,
          );
          const flow = row?.state.flow;
          if (flow?.flow !== 'checklist' || flow.at === undefined) break;
          before = counter.count;
          if (flow.at.kind === 'review') {
            await post(ev.postback(`s=${String((row?.state as unknown as { seq: number }).seq)}&a=submit`, { user }));
            note('submit', counter.count - before);
            continue;
          }
          if (flow.at.kind === 'more') {
            await post(ev.text('ไม่ใช่', { user }));
            note('answer an item', counter.count - before);
            continue;
          }
          const answer = typedAnswer(leafItem(def, flow.at.key), { long: true });
          if (answer.kind === 'photo') {
            const img = ev.image({ user });
            line.setContent(img.message.id, JPEG, 'image/jpeg');
            await post(img);
            note('evidence photo (incl. fetch from LINE after commit)', counter.count - before);
            before = counter.count;
            await post(ev.text('เสร็จ', { user }));
            note('answer an item', counter.count - before);
          } else {
            await post(ev.text(answer.text, { user }));
            note('answer an item', counter.count - before);
          }
        }
      }
    }
    counter.restore();
    let largest = { bytes: 0, what: '' };
    for (const r of line.replies()) {
      const msgs = (r.body as { messages?: { type: string; contents?: unknown; altText?: string }[] }).messages ?? [];
      for (const m of msgs) {
        if (m.type !== 'flex') continue;
        const bytes = new TextEncoder().encode(JSON.stringify(m.contents)).length;
        if (bytes > largest.bytes) largest = { bytes, what: m.altText ?? '' };
      }
    }
    const rows = [...perKind].map(([kind, ns]) => {
      const mean = ns.reduce((a, b) => a + b, 0) / ns.length;
      addSummary({ metric: `DB round trips: checklist ${kind}`, nithet: mean.toFixed(2) });
      return `| Round trips: ${kind} | ${mean.toFixed(2)} | ${ns.length} events; per event ${histogram(ns)} |`;
    });
    addSummary({
      metric: 'largest Flex message (bytes; LINE limit 30,000 a bubble)',
      nithet: largest.bytes.toLocaleString('en-US'),
    });
    return [
      '## Checklists: round trips per step, largest Flex',
      '',
      '- Four principals each answer the SAR (basic), the 6 IQA steps and the pre-visit self-assessment through `app.fetch` with signed bodies; text answers as long as each item allows; every `pg.Client.prototype.query` call counted.',
      '',
      '| what | value | notes |',
      '| --- | --- | --- |',
      ...rows,
      `| Largest Flex message produced | ${largest.bytes.toLocaleString('en-US')} bytes | ${largest.what.slice(0, 60)}…; LINE's limits: a bubble 30,000 bytes, a carousel 50,000 |`,
      `| Invalid requests at the fake LINE API | ${line.invalid().length} | every reply validated against LINE's OpenAPI |`,
    ].join('\n');
  } finally {
    await line.close();
    await t.close();
    rmSync(blobs, { recursive: true, force: true });
  }
}
