// A SAR report as the directors' card data, and the postback its buttons carry. Pure; shared by the chat reply
// (src/sar/chat.ts) and the weekly digest (src/digests/plan.ts).
import { sar } from '../i18n/sar.th.js';
import { postbackData } from '../line/messages.js';
import { thaiShortDate } from '../time/thai.js';
import type { SarCardInput } from '../../flex-templates/sar-card.js';
import type { SarReport } from './report.js';

/** The postback action of the SAR summary (the rich menu's button, the card's "ดูรายชื่อ"). */
export const SAR_ACTION = 'sar';

export const belowData = (campaignId: string, standard: string) =>
  postbackData(SAR_ACTION, { k: 'below', c: campaignId, n: standard });

/**
 * The card's data: dates in the office's time zone, Buddhist-Era years. `scope`: a director's digest cut in Thai,
 * when the report counts only its schools (the office-wide card has none). Pure.
 */
export function sarCardInput(report: SarReport, scope?: string): SarCardInput {
  const { campaign: c, synthesis: s } = report;
  const due = thaiShortDate(c.dueMs, c.timeZone);
  return {
    campaign: c.title,
    ...(scope === undefined ? {} : { scope }),
    status: c.closedMs === null ? sar.statusOpen(due) : sar.statusClosed(due),
    submitted: s.submitted,
    expected: s.expected,
    note: c.others > 0 ? sar.others(c.others) : null,
    standards: s.standards.map((st) => ({
      label: st.label,
      levels: st.levels,
      noAnswer: st.noAnswer,
      belowTarget: st.belowTarget.length,
      namesData: st.belowTarget.length > 0 ? belowData(c.id, st.key) : null,
    })),
  };
}
