// The exports an admin downloads (API) or an operator writes to a file (CLI): a campaign's responses, the visit
// log and a campaign's completion. Each is built from one or a few set-based queries, rendered as CSV or XLSX by
// table.ts, named for the download and audited (action export.<kind>) here, so both entries behave the same.
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { loadDefinition } from '../checklists/definition.js';
import { evidenceWebPath } from '../checklists/evidence.js';
import { responseSheets, type VersionedDefinition } from '../checklists/export.js';
import { campaignHead, campaignResponses, campaignVersions } from '../checklists/export.queries.js';
import { parseThaiDate } from '../checklists/parse.js';
import { percent } from '../i18n/percent.js';
import { localDate, thaiShortDate, thaiTime } from '../time/thai.js';
import { officeTimeZone } from '../time/zone.queries.js';
import { addDays, isoLocal, localInstant } from '../time/zone.js';
import { completionBySchool, visitLog, type CompletionRow } from './exports.queries.js';
import * as th from './labels.th.js';
import { definitionsById, visitFacts } from '../reports/facts.queries.js';
import { ratingPairs } from '../reports/compare.js';
import { render, type Cell, type ExportFormat, type Sheet } from './table.js';
import { isUuid } from '../ids/uuid.js';

export const exportKinds = ['responses', 'visits', 'completion'] as const;
export type ExportKind = (typeof exportKinds)[number];

export interface ExportParams {
  campaign?: string | undefined;
  format?: string | undefined;
  /** responses, CSV: a repeat group's key instead of the main table. */
  table?: string | undefined;
  /** completion, CSV: 'school' (default) or 'cluster'. */
  by?: string | undefined;
  /** visits: first and last day (office time), Thai B.E. or C.E.; default the current fiscal year (Oct–Sep). */
  from?: string | undefined;
  to?: string | undefined;
}

export interface ExportFile {
  body: Uint8Array | string;
  contentType: string;
  /** ASCII only, for filename= (old clients); filenameUtf8 may hold Thai, for filename*=. */
  filename: string;
  filenameUtf8: string;
  rows: number;
}

export interface ExportOffice {
  id: string;
  code: string;
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_request', `Invalid ${field}`, [{ field, message }]);
}

function formatOf(p: ExportParams): ExportFormat {
  const f = (p.format ?? 'csv').toLowerCase();
  if (f === 'csv' || f === 'xlsx') return f;
  throw invalid('format', 'รูปแบบต้องเป็น csv หรือ xlsx / format must be csv or xlsx');
}

/** Letters and digits stay; anything else (Thai included) becomes "-", for the ASCII filename. */
const ascii = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
/** Characters no file system takes, and quotes, are dropped from the UTF-8 name. */
const utf8Name = (s: string) => s.replace(/["\\/:*?<>|\r\n]+/g, ' ').trim();

/** Content-Disposition for a download: an ASCII filename plus the UTF-8 one (RFC 6266 / RFC 5987). */
export function contentDisposition(f: Pick<ExportFile, 'filename' | 'filenameUtf8'>): string {
  const star = encodeURIComponent(f.filenameUtf8).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${f.filename}"; filename*=UTF-8''${star}`;
}

async function campaignOf(db: Db, office: ExportOffice, p: ExportParams) {
  const id = p.campaign ?? '';
  if (id === '') throw invalid('campaign', 'ต้องระบุ campaign / campaign is required');
  // Another office's campaign, or no campaign at all: the same 404, so ids of other offices are not probed.
  const head = isUuid(id) ? await campaignHead(db, office.id, id) : undefined;
  if (head === undefined) throw new AppError('not_found', 'No such campaign in this office');
  return head;
}

async function responsesExport(
  db: Db,
  office: ExportOffice,
  p: ExportParams,
  format: ExportFormat,
  webBase: string | undefined,
) {
  const head = await campaignOf(db, office, p);
  const [versionRows, rows, tz] = await Promise.all([
    campaignVersions(db, head.id),
    campaignResponses(db, head.id),
    officeTimeZone(db, office.id),
  ]);
  const versions: VersionedDefinition[] = versionRows.flatMap((v) => {
    const definition = loadDefinition(v.definition);
    return definition === undefined ? [] : [{ checklistId: v.id, definition }];
  });
  const sheets = responseSheets(
    versions,
    rows,
    { readable: (at) => `${thaiShortDate(at, tz)} ${thaiTime(at, tz)}`, iso: (at) => isoLocal(at, tz) },
    (id) => `${webBase ?? ''}${evidenceWebPath(office.code, id)}`,
  );
  // CSV holds one table: the responses, or the repeat group named by ?table=.
  let chosen: Sheet[] = sheets;
  let table = '';
  if (format === 'csv' && p.table !== undefined && p.table !== '' && p.table !== 'responses') {
    const repeat = sheets.find((s) => s.key === p.table && s.key !== 'responses');
    if (repeat === undefined) throw new AppError('not_found', `No repeat group ${p.table} in this checklist`);
    chosen = [repeat];
    table = `-${repeat.key}`;
  }
  return {
    sheets: chosen,
    rows: rows.length,
    target: { type: 'campaign', id: head.id },
    names: { ascii: `responses-${head.key}-v${head.version}${table}`, utf8: `คำตอบ-${head.title_th}${table}` },
    detail: { campaign: head.id, ...(table === '' ? {} : { table: p.table }) },
  };
}

/** The Thai fiscal year (1 October – 30 September) holding `today`. */
function fiscalYear(today: string): { from: string; to: string } {
  const [y = 0, m = 1] = today.split('-').map(Number);
  const start = m >= 10 ? y : y - 1;
  return { from: `${start}-10-01`, to: `${start + 1}-09-30` };
}

async function visitsExport(db: Db, office: ExportOffice, p: ExportParams, now: number, format: ExportFormat) {
  const tz = await officeTimeZone(db, office.id);
  const today = localDate(now, tz);
  const fy = fiscalYear(today);
  const issues: FieldIssue[] = [];
  const day = (field: 'from' | 'to', text: string | undefined, fallback: string) => {
    if (text === undefined || text.trim() === '') return fallback;
    const d = parseThaiDate(text, today);
    if (d.ok) return d.value;
    issues.push({ field, message: `อ่านวันที่ "${text}" ไม่ได้ (เช่น 1/10/2569) / unreadable date "${text}"` });
    return fallback;
  };
  const from = day('from', p.from, fy.from);
  const to = day('to', p.to, fy.to);
  if (issues.length === 0 && to < from)
    issues.push({ field: 'to', message: 'วันสิ้นสุดต้องไม่ก่อนวันเริ่ม / to is before from' });
  if (issues.length > 0) throw new AppError('invalid_request', 'Invalid date range', issues);
  const fromIso = new Date(localInstant(from, 0, 0, tz)).toISOString();
  const toIso = new Date(localInstant(addDays(to, 1), 0, 0, tz)).toISOString();
  const rows = await visitLog(db, office.id, fromIso, toIso);
  const sheet: Sheet = {
    name: th.sheetNames.visits,
    header: th.visitHeader,
    rows: rows.map((v): Cell[] => {
      const at = Date.parse(v.starts_at);
      return [
        thaiShortDate(at, tz),
        thaiTime(at, tz),
        isoLocal(at, tz),
        v.school_code,
        v.school_name,
        v.supervisor,
        th.visitStatus[v.status] ?? v.status,
        v.purpose_th,
        th.yesNo(v.recorded_at !== null),
        v.actions_open,
        v.actions_done,
      ];
    }),
  };
  // The workbook adds the school's own rating beside the supervisor's, per indicator, with the gap.
  const sheets = [sheet];
  if (format === 'xlsx') {
    const facts = await visitFacts(db, office.id, fromIso, toIso);
    const defs = await definitionsById(
      db,
      facts.flatMap((f) => (f.checklist_id === null ? [] : [f.checklist_id])),
    );
    const byVisit = new Map(facts.map((f) => [f.visit_id, f]));
    sheets.push({
      name: th.sheetNames.ratings,
      header: th.ratingHeader,
      rows: ratingPairs(facts, defs).map((r): Cell[] => {
        const f = byVisit.get(r.visitId);
        const at = Date.parse(f?.starts_at ?? '');
        return [
          thaiShortDate(at, tz),
          f?.school_code ?? '',
          f?.school_name ?? '',
          f?.supervisor ?? '',
          r.label,
          r.self,
          r.supervisor,
          r.gap,
          r.target,
          r.achieved === null ? null : th.achievedText(r.achieved),
        ];
      }),
    });
  }
  return {
    sheets,
    rows: rows.length,
    target: { type: 'office', id: office.id },
    names: { ascii: `visits-${office.code}-${from}-${to}`, utf8: `บันทึกการนิเทศ-${office.code}-${from}-${to}` },
    detail: { from, to },
  };
}

const share = (submitted: number, expected: number) => (expected === 0 ? null : percent(submitted, expected, 1));

function completionCells(r: Pick<CompletionRow, 'expected' | 'submitted' | 'in_progress'>): Cell[] {
  const notStarted = Math.max(0, r.expected - r.submitted - r.in_progress);
  return [r.expected, r.submitted, r.in_progress, notStarted, share(r.submitted, r.expected)];
}

/** Per-cluster totals from the per-school rows (in TypeScript: the rows are already one per school). */
export function byCluster(rows: CompletionRow[]): Cell[][] {
  const groups = new Map<string, { code: string | null; name: string | null; schools: number; sum: CompletionRow }>();
  for (const r of rows) {
    const key = r.cluster_code ?? '';
    const g = groups.get(key) ?? {
      code: r.cluster_code,
      name: r.cluster_name,
      schools: 0,
      sum: { ...r, expected: 0, submitted: 0, in_progress: 0 },
    };
    if (r.school_code !== null) g.schools++;
    g.sum.expected += r.expected;
    g.sum.submitted += r.submitted;
    g.sum.in_progress += r.in_progress;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => [g.code, g.name ?? th.noCluster, g.schools, ...completionCells(g.sum)]);
}

async function completionExport(db: Db, office: ExportOffice, p: ExportParams, format: ExportFormat) {
  const head = await campaignOf(db, office, p);
  const by = p.by ?? 'school';
  if (by !== 'school' && by !== 'cluster')
    throw invalid('by', 'by ต้องเป็น school หรือ cluster / by must be school or cluster');
  const rows = await completionBySchool(db, office.id, head.id);
  const schools: Sheet = {
    name: th.sheetNames.bySchool,
    header: th.completionSchoolHeader,
    rows: rows.map((r) => [
      r.school_code,
      r.school_name ?? th.noSchool,
      r.cluster_code,
      r.cluster_name,
      ...completionCells(r),
    ]),
  };
  const clusters: Sheet = { name: th.sheetNames.byCluster, header: th.completionClusterHeader, rows: byCluster(rows) };
  const sheets = format === 'xlsx' ? [schools, clusters] : by === 'cluster' ? [clusters] : [schools];
  const suffix = format === 'csv' ? `-${by}` : '';
  return {
    sheets,
    rows: rows.length,
    target: { type: 'campaign', id: head.id },
    names: { ascii: `completion-${head.key}-v${head.version}${suffix}`, utf8: `ความก้าวหน้า-${head.title_th}${suffix}` },
    detail: { campaign: head.id, ...(format === 'csv' ? { by } : {}) },
  };
}

/** Builds, renders, names and audits one export. Unknown or foreign campaigns are a 404; bad parameters a 400. */
export async function runExport(
  db: Db,
  office: ExportOffice,
  kind: ExportKind,
  params: ExportParams,
  ctx: {
    now: number;
    via: 'api' | 'cli';
    actor?: string;
    /** The web's origin, so photo links in response exports open (the evidence route); a path without it. */
    webBase?: string | undefined;
  },
): Promise<ExportFile> {
  const format = formatOf(params);
  const built =
    kind === 'responses'
      ? await responsesExport(db, office, params, format, ctx.webBase?.replace(/\/$/, ''))
      : kind === 'visits'
        ? await visitsExport(db, office, params, ctx.now, format)
        : await completionExport(db, office, params, format);
  const out = await render(built.sheets, format);
  await audit(db, {
    actor: ctx.actor,
    officeId: office.id,
    action: `export.${kind}`,
    targetType: built.target.type,
    targetId: built.target.id,
    detail: { format, rows: built.rows, via: ctx.via, ...built.detail },
  });
  // The file's date is the office's day, as every date in the file is.
  const stamp = localDate(ctx.now, await officeTimeZone(db, office.id));
  return {
    body: out.body,
    contentType: out.contentType,
    filename: `${ascii(`${built.names.ascii}-${stamp}`)}.${out.extension}`,
    filenameUtf8: `${utf8Name(`${built.names.utf8}-${stamp}`)}.${out.extension}`,
    rows: built.rows,
  };
}
