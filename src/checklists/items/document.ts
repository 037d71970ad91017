// Evidence documents: PDF, Word or Excel files sent in the chat (the runner takes the file messages), then "เสร็จ".
import { postbackData, quickPostback } from '../../line/messages.js';
import type { AnswerableItem } from '../definition.js';
import type { ItemKind } from './kind.js';
import { msg } from '../../i18n/msg.js';

type DocumentItem = Extract<AnswerableItem, { type: 'document' }>;

export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** What a document's first bytes must be, by its name's extension: PDF, Word and Excel (OLE for the old ones). */
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK: .docx and .xlsx are zip packages
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // .doc and .xls
export const DOCUMENT_TYPES: Record<string, { magic: number[]; contentType: string }> = {
  pdf: { magic: PDF, contentType: 'application/pdf' },
  docx: { magic: ZIP, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { magic: ZIP, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  doc: { magic: OLE, contentType: 'application/msword' },
  xls: { magic: OLE, contentType: 'application/vnd.ms-excel' },
};

const extension = (name: string) => /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** Why a file message cannot answer a document item, judged by its name and declared size (null: it can). */
export function documentRefusal(fileName: string, fileSize: number): string | null {
  if (DOCUMENT_TYPES[extension(fileName)] === undefined) return msg.checklist.documentOnly;
  if (fileSize > DOCUMENT_MAX_BYTES) return msg.checklist.documentTooBig;
  return null;
}

/**
 * The content type of a fetched document when its bytes are what its name says (a PDF starts %PDF-, a .docx is a
 * zip package, …); null when they are not. LINE serves files as whatever the sender's phone called them.
 */
export function sniffDocument(fileName: string, data: Uint8Array): string | null {
  const t = DOCUMENT_TYPES[extension(fileName)];
  if (t === undefined || data.length < t.magic.length) return null;
  return t.magic.every((b, i) => data[i] === b) ? t.contentType : null;
}

export const document: ItemKind<DocumentItem> = {
  prompt: (item, c) => {
    const have = Array.isArray(c.current) ? c.current.length : 0;
    return {
      lines: [
        msg.checklist.hintDocument(item.maxFiles),
        ...(have > 0 ? [msg.checklist.documentReceived(have, item.maxFiles)] : []),
      ],
      quick: have > 0 ? [quickPostback(msg.checklist.done, postbackData('done', {}, c.seq), msg.checklist.done)] : [],
    };
  },
  parse: (item) => ({ ok: false, message: msg.checklist.hintDocument(item.maxFiles) }),
  // By the names they were sent with (labels: evidence id → name); a count where the names are not at hand.
  display: (_item, value, names) => {
    if (!Array.isArray(value)) return '—';
    if (names === undefined) return `ไฟล์ ${value.length} ไฟล์`;
    return value.map((id, i) => names.get(String(id)) ?? `ไฟล์ที่ ${i + 1}`).join(', ');
  },
  cell: (_item, value) => (Array.isArray(value) ? value.length : 0),
};
