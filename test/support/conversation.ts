// Builders for pure conversation tests: a linked person and a turn context, overridable per test.
import type { Ctx, PersonView } from '../../src/conversation/transition.js';
import { defaultPrivacyNotice } from '../../src/i18n/th.js';

export const TEST_NOW = Date.parse('2026-11-20T02:00:00Z');
export const TEST_OFFICE = '00000000-0000-4000-8000-000000000001';

export function testPerson(over: Partial<PersonView> = {}): PersonView {
  return {
    id: 'p1',
    officeId: TEST_OFFICE,
    role: 'teacher',
    name: 'สมศรี ใจดี',
    status: 'active',
    schoolName: 'โรงเรียนบ้านหนองน้ำใส',
    officeName: 'สพป.ตัวอย่าง เขต 1',
    muted: false,
    reminderHour: 8,
    ...over,
  };
}

/** A turn's context: nobody linked, nothing open, unless the test says otherwise. */
export function testCtx(over: Partial<Ctx> = {}): Ctx {
  return {
    now: TEST_NOW,
    eventId: 'test-channel:test-event',
    timeZone: 'Asia/Bangkok',
    person: null,
    invite: null,
    channelOfficeId: null,
    privacyNotice: defaultPrivacyNotice,
    checklists: {
      today: '2026-11-20',
      schoolId: null,
      open: [],
      definitions: new Map(),
      answers: {},
      assignedSchools: [],
    },
    ...over,
  };
}
