// Evidence photos: sent from the camera or the album (the runner takes the image messages), then "เสร็จ".
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import type { ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type Photo = Extract<AnswerableItem, { type: 'photo' }>;

export const photo: ItemKind<Photo> = {
  prompt: (item, c) => {
    const have = Array.isArray(c.current) ? c.current.length : 0;
    return {
      lines: [
        msg.checklist.hintPhoto(item.maxFiles),
        ...(have > 0 ? [msg.checklist.photoReceived(have, item.maxFiles)] : []),
      ],
      quick: [
        { type: 'action', action: { type: 'camera', label: msg.checklist.camera } },
        { type: 'action', action: { type: 'cameraRoll', label: msg.checklist.cameraRoll } },
        ...(have > 0 ? [quickPostback(msg.checklist.done, postbackData('done', {}, c.seq), msg.checklist.done)] : []),
      ],
    };
  },
  parse: (item) => ({ ok: false, message: msg.checklist.hintPhoto(item.maxFiles) }),
  // LINE's image messages carry no name: a photo reads back as a count, and the review card shows each one's
  // thumbnail beside it (src/checklists/thumbs.ts).
  display: (_item, value) => (Array.isArray(value) ? `รูป ${value.length} รูป` : '—'),
  cell: (_item, value) => (Array.isArray(value) ? value.length : 0),
};
