// Evidence photos: sent from the camera or the album (the runner takes the image messages), then "เสร็จ".
import { ck } from '../../i18n/checklist.th.js';
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import type { ItemKind } from './kind.js';

type Photo = Extract<AnswerableItem, { type: 'photo' }>;

export const photo: ItemKind<Photo> = {
  prompt: (item, c) => {
    const have = Array.isArray(c.current) ? c.current.length : 0;
    return {
      lines: [ck.hintPhoto(item.maxFiles), ...(have > 0 ? [ck.photoReceived(have, item.maxFiles)] : [])],
      quick: [
        { type: 'action', action: { type: 'camera', label: ck.camera } },
        { type: 'action', action: { type: 'cameraRoll', label: ck.cameraRoll } },
        ...(have > 0 ? [quickPostback(ck.done, postbackData('done', {}, c.seq), ck.done)] : []),
      ],
    };
  },
  parse: (item) => ({ ok: false, message: ck.hintPhoto(item.maxFiles) }),
  // LINE's image messages carry no name: a photo reads back as a count, and the review card shows each one's
  // thumbnail beside it (src/checklists/thumbs.ts).
  display: (_item, value) => (Array.isArray(value) ? `รูป ${value.length} รูป` : '—'),
  cell: (_item, value) => (Array.isArray(value) ? value.length : 0),
};
