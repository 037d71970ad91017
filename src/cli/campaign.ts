// `campaign create --office CODE --checklist KEY [--version N] --roles R1,R2 --due YYYY-MM-DD --title TITLE
// [--opens YYYY-MM-DD]`: sends a published checklist to roles of an office, from the opening day to the end of the
// due day, both in the office's time zone.
import { findOffice } from '../admin/admin.queries.js';
import { findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { type Role, roles as roleList } from '../db/schema.js';
import { localInstant } from '../time/zone.js';
import { officeTimeZone } from '../time/zone.queries.js';
import type { Command } from './command.js';

const isRole = (r: string): r is Role => (roleList as readonly string[]).includes(r);
/** The instant a local day's hh:mm:ss in `tz`; NaN unless `date` is YYYY-MM-DD. */
const onDay = (date: string, tz: string, h: number, m: number, s: number) =>
  /^\d{4}-\d{2}-\d{2}$/.test(date) ? localInstant(date, h, m, tz) + s * 1000 : NaN;

export const campaign: Command = {
  opensDatabase: true,
  async run({ sub, values, database: { db }, io }) {
    if (sub !== 'create' || values.office === undefined || values.checklist === undefined) return undefined;
    const office = await findOffice(db, values.office);
    if (office === undefined) {
      io.err(`no office ${values.office}`);
      return 2;
    }
    const roles = (values.roles ?? '').split(',').map((r) => r.trim());
    const badRole = roles.find((r) => !isRole(r));
    if (badRole !== undefined) {
      io.err(`unknown role ${badRole}`);
      return 2;
    }
    const tz = await officeTimeZone(db, office.id);
    const due = onDay(values.due ?? '', tz, 23, 59, 59);
    const opens = values.opens === undefined ? io.now() : onDay(values.opens, tz, 0, 0, 0);
    if (Number.isNaN(due) || Number.isNaN(opens) || values.title === undefined) return undefined;
    const version = values.version === undefined ? undefined : Number(values.version);
    const checklist = await findChecklist(db, office.id, values.checklist, version);
    if (checklist === undefined) {
      io.err(`no checklist ${values.checklist}`);
      return 1;
    }
    const c = await upsertCampaign(db, {
      officeId: office.id,
      checklistId: checklist.id,
      titleTh: values.title,
      roles: roles.filter(isRole),
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(opens).toISOString(),
      dueAt: new Date(due).toISOString(),
    });
    io.out(`${c.created ? 'created' : 'updated'} campaign ${c.id} (${checklist.key} v${checklist.version})`);
    return 0;
  },
};
