/** @jsxImportSource hono/jsx */
// The reports of the term and the year on the web (issue 15 item 5): a form choosing the report (the office's,
// a cluster's, a school's), the academic year and the term, and the report itself as the printable page, XLSX or
// PDF, served by the same code as the admin API; the office and cluster reports may be cut by the schools' level,
// size, district or tag. Directors and admins read every school; a supervisor's reports are cut to their assigned
// schools (a school or cluster outside them is a 404). Every read is audited.
import type { Hono } from 'hono';
import { actorOf } from '../../admin/auth.js';
import { can } from '../../admin/scope.js';
import { officeOf } from '../../admin/office.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { officeYearNow, schoolsInScope } from '../../reports/facts.queries.js';
import { serveReport } from '../../reports/reports.routes.js';
import { guard, officePath, page, scopeOfPage } from './render.js';
import { schoolFacets } from '../../admin/org.queries.js';
import { CutSelects } from './schools.js';
import { msg } from '../../i18n/msg.js';

export function reportPages(app: Hono<AppEnv>): void {
  guard(app, '/reports', 'schools.read');

  app.get('/offices/:office/reports', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const mine = scope.schools === 'assigned' ? (scope.personId ?? undefined) : undefined;
    const { db, now } = c.var.deps;
    const [schools, facets, { year }] = [
      await schoolsInScope(db, o.id, mine === undefined ? {} : { supervisorId: mine }),
      await schoolFacets(db, o.id),
      await officeYearNow(db, o.id, now()),
    ];
    const clusters = [
      ...new Map(schools.flatMap((s) => (s.cluster_id === null ? [] : [[s.cluster_id, s.cluster_name ?? '']]))),
    ];
    const common = (
      <>
        <label>
          ปีการศึกษา (พ.ศ.) <input name="year" value={String(year)} size={4} inputmode="numeric" />
        </label>{' '}
        <label>
          ภาคเรียน{' '}
          <select name="term">
            <option value="">ทั้งปีการศึกษา</option>
            <option value="1">ภาคเรียนที่ 1</option>
            <option value="2">ภาคเรียนที่ 2</option>
          </select>
        </label>{' '}
        <label>
          รูปแบบ{' '}
          <select name="format">
            <option value="html">หน้าพิมพ์ (HTML)</option>
            <option value="xlsx">Excel (XLSX)</option>
            <option value="pdf">PDF</option>
          </select>
        </label>{' '}
        <button type="submit">เปิดรายงาน</button>
      </>
    );
    // The office and cluster reports may be cut by the schools' attributes (the campaigns' own rule).
    const cutFields = (
      <fieldset data-cut>
        <legend>เฉพาะโรงเรียนที่ / Only schools with (ไม่เลือก = ทุกโรงเรียน)</legend>
        <CutSelects facets={facets} />
      </fieldset>
    );
    return page(
      c,
      { title: 'รายงานผลการนิเทศ / Reports', office: o, active: 'reports' },
      <>
        <p class="muted">
          {mine === undefined
            ? 'รายงานของภาคเรียนหรือปีการศึกษา: ความครอบคลุม ผลผ่าน/ไม่ผ่านรายตัวชี้วัด จุดเด่น จุดที่ควรพัฒนา และแนวปฏิบัติที่ดี'
            : 'รายงานเฉพาะโรงเรียนในความรับผิดชอบของท่าน'}
        </p>
        {can(scope, 'office.read') ? (
          <p>
            <a href={officePath(o, '/honours')} data-link="honours">
              {msg.web.honours.reportLink}
            </a>
          </p>
        ) : null}
        <h2>{mine === undefined ? 'รายงานของสำนักงาน' : 'รายงานโรงเรียนในความรับผิดชอบ'}</h2>
        <form method="get" action={officePath(o, '/reports/office')} data-report="office">
          {cutFields}
          {common}
        </form>
        <h2>รายงานระดับเครือข่าย</h2>
        <form method="get" action={officePath(o, '/reports/cluster')} data-report="cluster">
          <select name="cluster">
            {clusters.map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </select>{' '}
          {cutFields}
          {common}
        </form>
        <h2>รายงานรายโรงเรียน</h2>
        <form method="get" action={officePath(o, '/reports/school')} data-report="school">
          <select name="school">
            {schools.map((s) => (
              <option value={s.id}>
                {s.code} {s.name}
              </option>
            ))}
          </select>{' '}
          {common}
        </form>
      </>,
    );
  });

  app.get('/offices/:office/reports/:kind', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const mine = scope.schools === 'assigned' ? (scope.personId ?? undefined) : undefined;
    try {
      return await serveReport(c, o, actorOf(c), mine);
    } catch (err) {
      // Bad parameters are answered on the page, each next to its field's name, Thai first.
      if (!(err instanceof AppError) || err.status !== 400 || err.issues.length === 0) throw err;
      return page(
        c,
        { title: 'รายงานผลการนิเทศ / Reports', office: o, active: 'reports', status: 400 },
        <ul role="alert" data-issues>
          {err.issues.map((i) => (
            <li>
              <b>{i.field}</b>: {i.message}
            </li>
          ))}
        </ul>,
      );
    }
  });
}
