// The reports through the admin API: GET /offices/:office/reports/:kind (office, cluster, school) with ?year=2569
// (B.E.; default the current academic year), ?term=1|2 (default the whole year), ?cluster= / ?school= (ids) and
// ?format=html|xlsx|pdf, and for the office and cluster reports a cut by school attributes (?level=early_childhood,
// ?size=, ?tag=โรงเรียนคุณภาพประจำตำบล, ?district=, ?subdistrict=, ?province=; each repeatable). Admins and
// directors read every school (the API's guard); the web pages serve the same report cut to a supervisor's schools. Every read is audited (report.read).
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { actorOf } from '../admin/auth.js';
import { officeOf } from '../admin/office.js';
import { buildReport, type ReportKind, reportKinds } from './build.js';
import { reportHtml, reportXlsx } from './render.js';
import { readCut } from '../org/cut.js';
import { isEmptyCut } from '../checklists/audience.queries.js';
import { msg } from '../i18n/msg.js';

export const reportFormats = ['html', 'xlsx', 'pdf'] as const;

/** Builds, audits and answers one report: the shared path of the API and the pages. */
export async function serveReport(
  c: Context<AppEnv>,
  office: { id: string; code: string },
  actor: string,
  supervisorId?: string,
): Promise<Response> {
  const kind = c.req.param('kind') ?? '';
  if (!(reportKinds as readonly string[]).includes(kind)) throw new AppError('not_found', 'Unknown report');
  const format = (c.req.query('format') ?? 'html').toLowerCase();
  if (!(reportFormats as readonly string[]).includes(format)) {
    throw new AppError('invalid_request', 'Invalid format', [
      { field: 'format', message: msg.reports.badFormat(c.req.query('format') ?? '') },
    ]);
  }
  const { db, now, printPdf, reportFonts, log } = c.var.deps;
  const q = (n: string) => c.req.query(n);
  // ?level= ?size= ?tag= ?district= ?subdistrict= ?province= (repeatable) cut the office or cluster report.
  const { cut, issues: cutIssues } = readCut((n) => c.req.queries(n) ?? []);
  const report = await buildReport(
    db,
    office.id,
    kind as ReportKind,
    { year: q('year'), term: q('term'), cluster: q('cluster'), school: q('school'), cut, cutIssues },
    { now: now(), supervisorId },
  );
  await audit(db, {
    actor,
    officeId: office.id,
    action: 'report.read',
    targetType: kind,
    targetId: (kind === 'school' ? q('school') : kind === 'cluster' ? q('cluster') : office.id) ?? '',
    detail: {
      format,
      year: report.period.year,
      term: report.period.term,
      schools: report.coverage.schools,
      ...(isEmptyCut(cut) ? {} : { cut }),
    },
  });
  const name = `report-${kind}-${office.code}-${report.period.year}${report.period.term === null ? '' : `-t${report.period.term}`}`;
  const headers = { 'cache-control': 'no-store' };
  if (format === 'xlsx') {
    const x = await reportXlsx(report);
    return c.body(x.body.slice().buffer, 200, {
      ...headers,
      'content-type': x.contentType,
      'content-disposition': `attachment; filename="${name}.xlsx"`,
    });
  }
  const fonts = reportFonts === undefined ? [] : await reportFonts();
  // Still a readable page in the reader's own sans-serif, but a runtime wired without the fonts is a bug to see.
  if (fonts.length === 0) log.warn('report.fonts_missing', { kind });
  const html = reportHtml(report, fonts);
  if (format === 'pdf') {
    const printed = printPdf === undefined ? undefined : await printPdf(html);
    if (printed === undefined || !printed.ok) {
      const reason = printed?.reason ?? 'no PDF printer in this runtime (Workers)';
      throw new AppError('unavailable', 'PDF unavailable', [
        { field: 'format', message: `${msg.reports.pdfMissing} (${reason})` },
      ]);
    }
    return c.body(printed.pdf.slice().buffer, 200, {
      ...headers,
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${name}.pdf"`,
    });
  }
  return c.body(html, 200, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    // The page carries its own styles, font and SVG: nothing else may load or run.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:",
  });
}

export function reportRoutes(app: Hono<AppEnv>): void {
  app.get('/offices/:office/reports/:kind', async (c) => serveReport(c, await officeOf(c), actorOf(c)));
}
