/** @jsxImportSource hono/jsx */
// The office calendar for a year (B.E.): its terms, holidays, meetings and deadlines, and the year's Thai public
// holidays pre-filled from the data generated out of date-holidays' TH rules (src/calendar/holidays.ts) for the
// admin to confirm, rename or leave out; confirmed ones are written with the API's upsertCalendar and audited. A
// year without a term says so: visits and digests count "this semester" only from terms.
import type { Hono } from 'hono';
import { actorOf } from '../../admin/auth.js';
import { listCalendarPage, upsertCalendar } from '../../admin/calendar.queries.js';
import { officeOf } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { audit } from '../../audit/audit.queries.js';
import { HOLIDAYS_SOURCE, publicHolidays } from '../../calendar/holidays.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { localDate, thaiShortDate } from '../../time/thai.js';
import { officeTimeZone } from '../../time/zone.queries.js';
import { formBody } from '../session.js';
import { guard, need, officePath, page, scopeOfPage } from './render.js';

const kindTh: Record<string, string> = {
  term: 'ภาคเรียน / term',
  holiday: 'วันหยุด / holiday',
  meeting: 'ประชุม / meeting',
  deadline: 'กำหนดส่ง / deadline',
  report: 'รายงาน / report',
};
const day = (d: string) => thaiShortDate(Date.parse(`${d}T12:00:00Z`), 'UTC');

export function calendarPages(app: Hono<AppEnv>): void {
  guard(app, '/calendar', 'office.read');

  app.get('/offices/:office/calendar', async (c) => {
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const tz = await officeTimeZone(db, o.id);
    const thisYear = Number(localDate(c.var.deps.now(), tz).slice(0, 4)) + 543;
    const asked = Number(c.req.query('year') ?? thisYear);
    const year = Number.isInteger(asked) && asked >= 2500 && asked <= 2700 ? asked : thisYear;
    const ce = year - 543;
    const events = await listCalendarPage(db, o.id, { from: `${ce}-01-01`, to: `${ce}-12-31` }, null, 500);
    const saved = new Set(events.filter((e) => e.kind === 'holiday').map((e) => e.startsOn));
    const data = publicHolidays(year);
    const offered = data.holidays.filter((hd) => !saved.has(hd.date));
    const write = can(scopeOfPage(c), 'office.write');
    const hasTerm = events.some((e) => e.kind === 'term');
    return page(
      c,
      { title: `ปฏิทินสำนักงาน พ.ศ. ${year} / Office calendar`, office: o, active: 'calendar' },
      <>
        <nav class="actions" aria-label="ปี / Year">
          <a href={officePath(o, `/calendar?year=${year - 1}`)}>← {year - 1}</a>
          <strong>พ.ศ. {year}</strong>
          <a href={officePath(o, `/calendar?year=${year + 1}`)}>{year + 1} →</a>
        </nav>
        {c.req.query('saved') === undefined ? null : (
          <p class="notice" role="status">
            บันทึกวันหยุด {c.req.query('saved')} วันแล้ว / Holidays saved
          </p>
        )}
        {hasTerm ? null : (
          <p class="error" role="alert" data-figure="no-term">
            ยังไม่มีภาคเรียนในปีนี้: การนับการนิเทศและสรุป "ภาคเรียนนี้" ต้องมีภาคเรียนก่อน (เพิ่มได้ทาง API หรือนำเข้า) / No term this year:
            visits and digests count "this semester" from terms.
          </p>
        )}
        {events.length === 0 ? (
          <p>ยังไม่มีรายการในปีนี้ / Nothing this year yet</p>
        ) : (
          <table>
            <caption>รายการในปฏิทิน / Events</caption>
            <thead>
              <tr>
                <th scope="col">วันที่ / Date</th>
                <th scope="col">ประเภท / Kind</th>
                <th scope="col">รายการ / Title</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr data-event={e.kind}>
                  <td>
                    {day(e.startsOn)}
                    {e.endsOn === e.startsOn ? '' : ` – ${day(e.endsOn)}`}
                  </td>
                  <td>{kindTh[e.kind] ?? e.kind}</td>
                  <td>
                    {e.titleTh}
                    {e.kind === 'term' && e.term !== null ? ` (${e.term}/${e.academicYear ?? ''})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!write || offered.length === 0 ? null : (
          <form method="post" action={officePath(o, `/calendar/holidays?year=${year}`)} class="stack">
            <h2>วันหยุดราชการ พ.ศ. {year}: ตรวจแล้วกดบันทึก / Public holidays to confirm</h2>
            <p class="muted">
              ที่มา / Source: {HOLIDAYS_SOURCE}. แก้ชื่อได้ เอาเครื่องหมายออกเพื่อไม่บันทึก วันหยุดชดเชยให้เพิ่มเองตามประกาศ
            </p>
            {data.lunarKnown ? null : (
              <p class="error">
                ข้อมูลปีนี้ยังไม่มีวันสำคัญทางพุทธศาสนา (มาฆบูชา วิสาขบูชา อาสาฬหบูชา เข้าพรรษา) กรุณาเพิ่มตามประกาศคณะรัฐมนตรี / The source
                does not list this year’s Buddhist holidays yet.
              </p>
            )}
            {offered.map((hd, i) => (
              <div class="field">
                <label class="check">
                  <input type="checkbox" name="date" value={hd.date} checked /> {day(hd.date)}
                </label>
                <label for={`name-${i}`} class="muted">
                  ชื่อวันหยุด / Name
                </label>
                <input id={`name-${i}`} name={`name:${hd.date}`} value={hd.nameTh} maxlength={200} />
              </div>
            ))}
            <button type="submit">บันทึกวันหยุดที่เลือก / Save the selected holidays</button>
          </form>
        )}
      </>,
    );
  });

  app.post('/offices/:office/calendar/holidays', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const f = await formBody(c);
    const year = Number(c.req.query('year'));
    const known = new Map(publicHolidays(year).holidays.map((hd) => [hd.date, hd.nameTh]));
    const dates = [...new Set(f.getAll('date'))];
    // Only the year's listed holidays are taken: a forged date is refused, naming it.
    const unknown = dates.filter((d) => !known.has(d));
    if (unknown.length > 0)
      throw new AppError('invalid_request', 'Not a listed public holiday', [
        { field: 'date', message: `ไม่ใช่วันหยุดราชการในรายการ: ${unknown.join(', ')}` },
      ]);
    const rows = dates.map((d) => {
      const name = (f.get(`name:${d}`) ?? '').trim().slice(0, 200);
      return {
        id: null,
        kind: 'holiday' as const,
        titleTh: name === '' ? (known.get(d) ?? d) : name,
        startsOn: d,
        endsOn: d,
        academicYear: null,
        term: null,
        roles: [],
      };
    });
    if (rows.length > 0) {
      await db.transaction(async (tx) => {
        const counts = await upsertCalendar(tx, o.id, rows);
        await audit(tx, {
          actor: actorOf(c),
          officeId: o.id,
          action: 'calendar.upsert',
          detail: { ...counts, source: 'public-holidays', year },
        });
      });
    }
    return c.redirect(officePath(o, `/calendar?year=${year}&saved=${rows.length}`), 303);
  });
}
