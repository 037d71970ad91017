// The reply to "ขอสำเนาข้อมูลของฉัน": what is held about the asker, by reply (free), never by push.
import type { Db } from '../db/client.js';
import { type Message, textMessage } from '../line/messages.js';
import { thaiShortDate, thaiTime } from '../time/thai.js';
import { personalData } from './copy.queries.js';
import { msg } from '../i18n/msg.js';

export async function copyFor(db: Db, personId: string, timeZone: string): Promise<Message[]> {
  const d = await personalData(db, personId);
  if (d === null) return [textMessage(msg.pdpa.notFound)];
  const date = (iso: string) => {
    const ms = Date.parse(iso);
    return `${thaiShortDate(ms, timeZone)} ${thaiTime(ms, timeZone)} น.`;
  };
  const lines = [msg.pdpa.copyHeader, msg.pdpa.copy(d, date)];
  if (d.campaigns.length > 0) {
    lines.push(msg.pdpa.campaignsHeader, ...d.campaigns.map(msg.pdpa.campaignLine));
    if (d.campaignCount > d.campaigns.length) lines.push(msg.pdpa.moreCampaigns(d.campaignCount - d.campaigns.length));
  }
  return [textMessage(lines.join('\n')), textMessage(msg.pdpa.copyFooter)];
}
