// A director's SAR summary in chat: "สรุป SAR" / "SAR summary" or the rich menu's postback `a=sar` answers with the
// card of the office's latest SAR campaign; the card's "ดูรายชื่อ" (`a=sar&k=below&c=<campaign>&n=<standard>`)
// answers with the schools below target. Both are reads (src/conversation/read-actions.ts): by reply, state
// untouched, audited. Postbacks may be forged, so the campaign is looked up within the asker's office only. A
// director with a digest cut (src/digests/cut.ts) gets the card and its names for the schools in the cut only, as
// the digest's SAR card shows them.
import type { Input } from '../conversation/input.js';
import { isWord } from '../conversation/normalize.js';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { directorCutView } from '../digests/cut.js';
import { pack } from '../digests/names.js';
import { msg } from '../i18n/msg.js';
import { sar } from '../i18n/sar.th.js';
import { type Message, parsePostbackData, textMessage } from '../line/messages.js';
import { sarCardMessage } from '../../flex-templates/sar-card.js';
import { SAR_ACTION, sarCardInput } from './card.js';
import { loadSarReport } from './report.js';

type SarRequest = { kind: 'card' } | { kind: 'below'; campaignId: string; standard: string };

const words = new Set(['สรุป sar', 'สรุปsar', 'สรุปผล sar', 'sar summary', 'สรุป sar ล่าสุด']);

export function sarRequest(input: Input): SarRequest | null {
  if (input.kind === 'text') {
    return isWord(words, input.text) ? { kind: 'card' } : null;
  }
  if (input.kind !== 'postback') return null;
  const pb = parsePostbackData(input.data);
  if (pb?.action !== SAR_ACTION) return null;
  if (pb.fields.get('k') !== 'below') return { kind: 'card' };
  return { kind: 'below', campaignId: pb.fields.get('c') ?? '', standard: pb.fields.get('n') ?? '' };
}

/** The reply: directors only (the synthesis spans every school of the office, or of the director's cut). */
export async function sarReply(
  db: Db,
  person: { id: string; role: Role; officeId: string },
  req: SarRequest,
  now: number,
): Promise<Message[]> {
  if (person.role !== 'director') return [textMessage(sar.notAllowed)];
  const cut = await directorCutView(db, person);
  const inCut = cut?.schools ?? null;
  if (req.kind === 'card') {
    const report = await loadSarReport(db, person.officeId, { latestAt: now }, inCut);
    if (report === undefined) return [textMessage(sar.noCampaign)];
    const scope = cut === null ? undefined : msg.digest.cutScope(cut.label, report.campaign.officeName);
    return [sarCardMessage(sarCardInput(report, scope))];
  }
  const report = await loadSarReport(db, person.officeId, { id: req.campaignId }, inCut);
  const st = report?.synthesis.standards.find((x) => x.key === req.standard);
  if (report === undefined || st === undefined) return [textMessage(sar.notFound)];
  if (st.belowTarget.length === 0) return [textMessage(sar.belowNoneFor(st.label))];
  const lines = st.belowTarget.map((b) => ({
    text: `• ${sar.belowLine(b.name, b.code, b.level, b.target)}`,
    item: true,
  }));
  return pack(
    sar.belowHeader(st.label, report.campaign.title, st.belowTarget.length),
    lines,
    st.belowTarget.length,
    sar.unitSchool,
  );
}
