// Evidence documents: PDF, Word or Excel files sent in the chat (the runner takes the file messages), then "เสร็จ".
import { ck } from '../../i18n/checklist.th.js';
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import type { ItemKind } from './kind.js';

type DocumentItem = Extract<AnswerableItem, { type: 'document' }>;

export const document: ItemKind<DocumentItem> = {
  prompt: (item, c) => {
    const have = Array.isArray(c.current) ? c.current.length : 0;
    return {
      lines: [ck.hintDocument(item.maxFiles), ...(have > 0 ? [ck.documentReceived(have, item.maxFiles)] : [])],
      quick: have > 0 ? [quickPostback(ck.done, postbackData('done', {}, c.seq), ck.done)] : [],
    };
  },
  parse: (item) => ({ ok: false, message: ck.hintDocument(item.maxFiles) }),
  display: (_item, value) => (Array.isArray(value) ? `ไฟล์ ${value.length} ไฟล์` : '—'),
  cell: (_item, value) => (Array.isArray(value) ? value.length : 0),
};
