// The reply to "ขอสำเนาข้อมูลของฉัน": what is held about the asker, by reply (free), never by push.
import type { Db } from '../db/client.js';
import { pd } from '../i18n/pdpa.th.js';
import { type Message, textMessage } from '../line/messages.js';
import { thaiShortDate, thaiTime } from '../time/thai.js';
import { personalData } from './copy.queries.js';

export async function copyFor(db: Db, personId: string, timeZone: string): Promise<Message[]> {
  const d = await personalData(db, personId);
  if (d === null) return [textMessage(pd.notFound)];
  const date = (iso: string) => {
    const ms = Date.parse(iso);
    return `${thaiShortDate(ms, timeZone)} ${thaiTime(ms, timeZone)} น.`;
  };
  const lines = [pd.copyHeader, pd.copy(d, date)];
  if (d.campaigns.length > 0) {
    lines.push(pd.campaignsHeader, ...d.campaigns.map(pd.campaignLine));
    if (d.campaignCount > d.campaigns.length) lines.push(pd.moreCampaigns(d.campaignCount - d.campaigns.length));
  }
  return [textMessage(lines.join('\n')), textMessage(pd.copyFooter)];
}
