// The Thai message catalogue: what the bot and the pages say, Thai first with English where it helps, under
// readable names (msg.checklist.progress, msg.web.people.…). Each feature's entries live in their own file; this
// gathers them, so code names a message by its feature. Written by scripts/rename-catalogue.ts from its table.
import { checklist } from './checklist.th.js';
import { pdpa } from './pdpa.th.js';
import { reminders } from './reminders.th.js';
import { settings } from './settings.th.js';
import { visits } from './visits.th.js';
import { sarFeedback } from './sar-feedback.th.js';
import { signin } from './signin.th.js';
import { database } from './db.th.js';
import { digest } from '../digests/digest.th.js';
import { honours, webHonours } from '../honours/honours.th.js';
import { reports } from '../reports/reports.th.js';
import { webAgencies } from '../web/agencies.th.js';
import { webAssignments } from '../web/assignments.th.js';
import { webCommittee } from '../web/committee.th.js';
import { webImports } from '../web/imports.th.js';
import { webOfficeSar } from '../web/officesar.th.js';
import { webPeople } from '../web/people.th.js';
import { webReading } from '../web/reading.th.js';
import { webSchools } from '../web/schools.th.js';
import { webSheets } from '../web/sheets.th.js';
import { webSignin } from '../web/signin.th.js';

export const msg = {
  checklist,
  pdpa,
  reminders,
  settings,
  visits,
  sarFeedback,
  signin,
  database,
  digest,
  honours,
  reports,
  web: {
    agencies: webAgencies,
    assignments: webAssignments,
    committee: webCommittee,
    honours: webHonours,
    imports: webImports,
    officeSar: webOfficeSar,
    people: webPeople,
    reading: webReading,
    schools: webSchools,
    sheets: webSheets,
    signin: webSignin,
  },
} as const;
