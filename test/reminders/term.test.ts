// One push per person per day, held over a simulated term through the real tick and the fake LINE server: the
// announcements, daily reminders, escalations, visit notices and reminders, submission notices and Monday digests
// of a small office all arrive, and nobody ever gets two pushes on one day. bench/term.ts runs the same at office size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { simulateTerm, type TermResult } from '../support/term.js';

let h: Harness;
let r: TermResult;
beforeAll(async () => {
  h = await startHarness();
  // Three weeks (the SAR and the visits start in the third), the tick at the hours that matter.
  r = await simulateTerm(h, { schools: 6, teachersPerSchool: 4, weeks: 3, submitRate: 0.1, hours: [7, 8, 9, 10, 13] });
}, 600_000);
afterAll(() => h.close());

describe('a simulated term', () => {
  it('never pushes anyone twice on one Bangkok day', () => {
    expect(r.pushes).toBeGreaterThan(r.people);
    expect(r.maxPerPersonDay).toBe(1);
  });

  it('delivered every kind of item through the bundles, every request valid for LINE', () => {
    expect(Object.keys(r.items).sort()).toEqual(expect.arrayContaining(['announce', 'digest', 'submitted', 'visit']));
    expect(r.items.announce).toBe(6 * 4 + 6); // the survey to every teacher, the SAR to every principal
    expect(r.submitted).toBeGreaterThan(0);
    expect(h.line.invalid()).toEqual([]);
  });
});
