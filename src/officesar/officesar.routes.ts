// The office's groups, its standard (a versioned definition) and its yearly SAR (seed 003) in the admin API: the
// SAR's step calendar becomes dated follow-ups for the main host, each indicator a follow-up for its lead group's
// people (reminded through the outbox like every follow-up, src/tasks/), and the report (printable HTML, XLSX) puts
// last year's results beside this year's.
import type { Hono } from 'hono';
import { actorOf } from '../admin/auth.js';
import { audit } from '../audit/audit.queries.js';
import { officeOf } from '../admin/office.js';
import { parseBody, readJson, uuidParam } from '../admin/validate.js';
import { actionCtx } from '../committee/committee.actions.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { toXlsx } from '../exports/table.js';
import { thaiCalendarLongDate } from '../time/thai.js';
import {
  createOfficeSar,
  currentStandard,
  groupsBody,
  recordOfficeResults,
  resultsBody,
  sarBody,
  saveGroups,
  saveOfficeStandard,
  standardBody,
} from './officesar.actions.js';
import { listGroups, sarWithBaseline, type SarRow } from './officesar.queries.js';

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
    return c.json({ upserted: await saveGroups(actionCtx(c, o.id), body) });
  });

  // The office's latest version, or the built-in one from seed 003 (with what the seed leaves unsaid marked).
  app.get('/offices/:office/office-standard', async (c) => {
    const o = await officeOf(c);
    return c.json(await currentStandard({ db: c.var.deps.db, officeId: o.id }));
  });

  app.post('/offices/:office/office-standard', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(standardBody, await readJson(c.req));
    return c.json(await saveOfficeStandard(actionCtx(c, o.id), body), 201);
  });

  app.post('/offices/:office/office-sars', async (c) => {
    const o = await officeOf(c);
    const body = parseBody(sarBody, await readJson(c.req));
    const out = await createOfficeSar(actionCtx(c, o.id), body);
    return c.json({ ...out, year: body.year }, 201);
  });

  app.post('/offices/:office/office-sars/:id/results', async (c) => {
    const o = await officeOf(c);
    const id = uuidParam(c);
    const body = parseBody(resultsBody, await readJson(c.req), 'results');
    await recordOfficeResults(actionCtx(c, o.id), id, body);
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
