// The office's groups, its standard (a versioned definition) and its yearly SAR (seed 003) in the admin API: the
// SAR's step calendar becomes dated follow-ups for the main host, each indicator a follow-up for its lead group's
// people (reminded through the outbox like every follow-up, src/tasks/), and the report (printable HTML, XLSX) puts
// last year's results beside this year's.
import type { Hono } from 'hono';
import * as z from 'zod';
import { actorOf } from '../admin/auth.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from '../admin/office.js';
import { isoDate, parseBody, readJson, uuidParam } from '../admin/validate.js';
import type { AppEnv } from '../deps.js';
import { AppError, type FieldIssue } from '../errors.js';
import { toXlsx } from '../exports/table.js';
import { createTasks, type TaskInput } from '../tasks/tasks.queries.js';
import { thaiCalendarLongDate } from '../time/thai.js';
import { officeTimeZone } from '../visits/visits.queries.js';
import {
  groupMembers,
  insertSar,
  latestStandard,
  listGroups,
  recordResults,
  saveStandard,
  sarWithBaseline,
  upsertGroups,
  type SarRow,
} from './officesar.queries.js';
import { builtinStandard, sarSteps, STEP6_DEFAULT_DAYS } from './standard.js';

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a short code: a-z, 0-9, _ or -');
const groupsBody = z.strictObject({
  groups: z
    .array(z.strictObject({ code, nameTh: z.string().trim().min(1).max(200), memberIds: z.array(z.uuid()).max(200) }))
    .min(1)
    .max(50),
});

const indicator = z.strictObject({
  code: z.string().trim().min(1).max(20),
  standard: z.number().int().min(0).max(20),
  titleTh: z.string().trim().min(1).max(500).nullable(),
  leadGroup: code.nullable(),
  coGroups: z.array(code).max(20),
  targetTh: z.string().trim().max(500).nullable(),
  targetLevel: z.number().int().min(1).max(5).nullable(),
  outputsTh: z.string().trim().max(2000).nullable(),
  unspecified: z.array(z.string().max(500)).max(10),
});
const standardBody = z.strictObject({
  standards: z
    .array(z.strictObject({ no: z.number().int().min(1).max(20), titleTh: z.string().trim().min(1).max(500) }))
    .min(1)
    .max(20),
  indicators: z.array(indicator).min(1).max(100),
});

const sarBody = z.strictObject({ year: z.number().int().min(2500).max(2700), startsOn: isoDate });
const resultsBody = z.strictObject({
  results: z
    .array(
      z.strictObject({
        code: z.string().trim().min(1).max(20),
        level: z.number().int().min(1).max(5),
        resultTh: z.string().trim().max(5000),
      }),
    )
    .min(1)
    .max(100),
});

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The seed's steps as dated milestones from the start: each step ends its duration after the previous one. */
export function stepCalendar(startsOn: string): { no: number; titleTh: string; startsOn: string; dueOn: string }[] {
  let at = startsOn;
  return sarSteps.map((s) => {
    const days = s.days ?? (s.no === 6 ? STEP6_DEFAULT_DAYS : 30);
    const step = { no: s.no, titleTh: s.titleTh, startsOn: at, dueOn: addDays(at, days - 1) };
    at = addDays(at, days);
    return step;
  });
}

function reportRows(s: SarRow): (string | number | null)[][] {
  return s.definition.indicators.map((i) => [
    i.standard === 0 ? '(ยังไม่ระบุ)' : `มาตรฐานที่ ${i.standard}`,
    i.code,
    i.titleTh ?? '(ยังไม่ระบุ)',
    i.leadGroup,
    i.targetLevel,
    s.previous?.[i.code]?.level ?? null,
    s.results[i.code]?.level ?? null,
    s.results[i.code]?.resultTh ?? null,
  ]);
}

const header = ['มาตรฐาน', 'ตัวบ่งชี้', 'ชื่อตัวบ่งชี้', 'กลุ่มเจ้าภาพ', 'ระดับเป้าหมาย', 'ผลปีที่แล้ว', 'ผลปีนี้', 'ผลการดำเนินงาน'];
const esc = (v: string | number | null) =>
  String(v ?? '—').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function reportHtml(officeName: string, s: SarRow): string {
  const rows = reportRows(s)
    .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('');
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>รายงานการประเมินตนเอง ${esc(officeName)} ปี ${s.year}</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 6px;vertical-align:top}@media print{body{margin:0}}</style></head>
<body><h1>รายงานการประเมินตนเอง (SAR) ของ${esc(officeName)} ปีการศึกษา ${s.year}</h1>
<p>เริ่ม ${esc(thaiCalendarLongDate(s.startsOn))} · ผลปีที่แล้ว (ปี ${s.year - 1}) เป็นข้อมูลฐาน</p>
<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

export function officeSarRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/office-groups', async (c) => {
    const o = await officeOf(c);
    return c.json({ items: await listGroups(c.var.deps.db, o.id) });
  });

  app.post('/offices/:office/office-groups', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(groupsBody, await readJson(c.req), 'groups');
    const db = c.var.deps.db;
    const n = await db.transaction(async (tx) => {
      const n = await upsertGroups(tx, o.id, body.groups);
      await audit(tx, { actor: actorOf(c), officeId: o.id, action: 'office_groups.upsert', detail: { count: n } });
      return n;
    });
    return c.json({ upserted: n });
  });

  // The office's latest version, or the built-in one from seed 003 (with what the seed leaves unsaid marked).
  app.get('/offices/:office/office-standard', async (c) => {
    const o = await officeOf(c);
    const latest = await latestStandard(c.var.deps.db, o.id);
    return c.json(
      latest === undefined ? { version: 0, builtIn: true, definition: builtinStandard } : { ...latest, builtIn: false },
    );
  });

  app.post('/offices/:office/office-standard', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(standardBody, await readJson(c.req));
    const db = c.var.deps.db;
    const groups = new Set((await listGroups(db, o.id)).map((g) => g.code));
    const numbers = new Set(body.standards.map((s) => s.no));
    const seen = new Set<string>();
    const issues: FieldIssue[] = body.indicators.flatMap((i, row) => [
      ...(seen.has(i.code)
        ? [{ row, field: 'code', message: `ตัวบ่งชี้ ${i.code} ซ้ำ / duplicate indicator` }]
        : (seen.add(i.code), [])),
      ...(i.standard !== 0 && !numbers.has(i.standard)
        ? [{ row, field: 'standard', message: `ไม่มีมาตรฐานที่ ${i.standard} / no such standard` }]
        : []),
      ...[i.leadGroup, ...i.coGroups].flatMap((g) =>
        g === null || groups.has(g)
          ? []
          : [{ row, field: 'leadGroup', message: `ไม่มีกลุ่ม ${g} ในสำนักงาน / no such group` }],
      ),
    ]);
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
    const saved = await db.transaction(async (tx) => {
      const saved = await saveStandard(tx, o.id, body);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'office_standard.save',
        detail: { version: saved.version },
      });
      return saved;
    });
    return c.json(saved, 201);
  });

  // A year's SAR: the step calendar as dated follow-ups of the main host (กลุ่มอำนวยการ), and each indicator's report
  // a follow-up of its lead group's people, due when the SAR is written (the end of step 7).
  app.post('/offices/:office/office-sars', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(sarBody, await readJson(c.req));
    const { db, now } = c.var.deps;
    const latest = await latestStandard(db, o.id);
    const standard = latest ?? { id: '', version: 0, definition: builtinStandard };
    const members = await groupMembers(db, o.id);
    const host = members.get('admin')?.[0] ?? null;
    const calendar = stepCalendar(body.startsOn);
    const writeBy = calendar.find((s) => s.no === 7)?.dueOn ?? body.startsOn;
    const tz = await officeTimeZone(db, o.id);
    const id = crypto.randomUUID();
    const out = await db.transaction(async (tx) => {
      const std = standard.id === '' ? await saveStandard(tx, o.id, builtinStandard) : standard;
      if (!(await insertSar(tx, o.id, { id, year: body.year, standardId: std.id, startsOn: body.startsOn }))) {
        throw new AppError('conflict', 'The office already has a SAR for this year', [
          { field: 'year', message: `มี SAR ของปี ${body.year} แล้ว / a SAR for this year exists` },
        ]);
      }
      const tasks: TaskInput[] = [
        ...calendar.map((s) => ({
          source: 'office_sar' as const,
          sourceId: id,
          titleTh: `SAR สำนักงานเขต ปี ${body.year} ขั้นที่ ${s.no}: ${s.titleTh}`,
          ownerId: host,
          dueOn: s.dueOn,
        })),
        ...standard.definition.indicators.flatMap((i) =>
          (members.get(i.leadGroup ?? '') ?? []).map((ownerId) => ({
            source: 'office_sar' as const,
            sourceId: id,
            titleTh: `SAR สำนักงานเขต ปี ${body.year}: รายงานผลตัวบ่งชี้ ${i.code}${i.titleTh === null ? '' : ` ${i.titleTh}`}`,
            ownerId,
            dueOn: writeBy,
          })),
        ),
      ];
      const ids = await createTasks(tx, o.id, tasks, now(), tz);
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'office_sar.create',
        targetType: 'office_sar',
        targetId: id,
        detail: { tasks: ids.length },
      });
      return { tasks: ids.length };
    });
    return c.json({ id, year: body.year, calendar, ...out }, 201);
  });

  app.post('/offices/:office/office-sars/:id/results', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(resultsBody, await readJson(c.req), 'results');
    const db = c.var.deps.db;
    const sar = await sarWithBaseline(db, o.id, id);
    if (sar === undefined) throw new AppError('not_found', 'No such office SAR');
    const codes = new Set(sar.definition.indicators.map((i) => i.code));
    const issues: FieldIssue[] = body.results.flatMap((r, row) =>
      codes.has(r.code) ? [] : [{ row, field: 'code', message: `ไม่มีตัวบ่งชี้ ${r.code} / no such indicator` }],
    );
    if (issues.length > 0) throw new AppError('invalid_request', 'The request has invalid fields', issues);
    await db.transaction(async (tx) => {
      await recordResults(
        tx,
        o.id,
        id,
        Object.fromEntries(body.results.map((r) => [r.code, { level: r.level, resultTh: r.resultTh }])),
      );
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'office_sar.results',
        targetType: 'office_sar',
        targetId: id,
        detail: { count: body.results.length },
      });
    });
    return c.json({ recorded: body.results.length });
  });

  // The report: printable HTML (default) or XLSX, last year's results beside this year's.
  app.get('/offices/:office/office-sars/:id/report', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const format = c.req.query('format') ?? 'html';
    if (format !== 'html' && format !== 'xlsx') {
      throw new AppError('invalid_request', 'The request has invalid fields', [
        { field: 'format', message: 'html or xlsx' },
      ]);
    }
    const db = c.var.deps.db;
    const sar = await sarWithBaseline(db, o.id, id);
    if (sar === undefined) throw new AppError('not_found', 'No such office SAR');
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'export.office_sar',
      targetType: 'office_sar',
      targetId: id,
    });
    if (format === 'html') return c.html(reportHtml(o.name_th, sar));
    const bytes = await toXlsx([{ name: `SAR ${sar.year}`, header, rows: reportRows(sar) }]);
    return c.body(bytes.slice().buffer, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="office-sar-${sar.year}.xlsx"`,
    });
  });
}
