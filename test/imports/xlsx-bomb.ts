// Hostile workbooks for the limits tests and bench/xlsx-limits.ts: a minimal .xlsx around any sheet XML (made with
// fflate, which the reader uses too), a sheet of many rows, a whitespace bomb, and a zip whose central directory
// lies about an entry's size.
import { strToU8, zipSync } from 'fflate';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = `</sheetData></worksheet>`;

/** A workbook whose first sheet is `sheet` (the whole worksheet XML, as bytes). */
export function workbookWith(sheet: Uint8Array): Uint8Array {
  return zipSync(
    {
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(RELS),
      'xl/workbook.xml': strToU8(WORKBOOK),
      'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
      'xl/worksheets/sheet1.xml': sheet,
    },
    { level: 9 },
  );
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A people sheet: the header, then `rows` teachers (inline strings, as some exporters write them). */
export function peopleSheet(rows: number, school: string): Uint8Array {
  const parts = [
    SHEET_HEAD,
    `<row r="1">${inline('A1', 'name')}${inline('B1', 'role')}${inline('C1', 'school_code')}${inline('D1', 'external_id')}</row>`,
  ];
  for (let i = 2; i <= rows + 1; i++) {
    parts.push(
      `<row r="${i}">${inline(`A${i}`, `ครูทดสอบ ${i}`)}${inline(`B${i}`, 'teacher')}<c r="C${i}"><v>${school}</v></c>${inline(`D${i}`, `bulk-${i}`)}</row>`,
    );
  }
  parts.push(SHEET_TAIL);
  return strToU8(parts.join(''));
}

/** A sheet that is mostly whitespace: `mb` megabytes of it inflate from a few kilobytes. */
export function whitespaceSheet(mb: number): Uint8Array {
  const body = new Uint8Array(mb * 1024 * 1024).fill(0x20);
  const head = strToU8(SHEET_HEAD);
  const tail = strToU8(SHEET_TAIL);
  const out = new Uint8Array(head.length + body.length + tail.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(tail, head.length + body.length);
  return out;
}

/** The same zip with every entry's uncompressed size in both headers set to `size`: a size that lies. */
export function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

/** `rows` rows of one filled cell at column XFD (16,384th), and a styled empty one there: padding a row to its last
 * cell made this ~839 MB of cells at 5,000 rows. */
export function farColumnSheet(rows: number, filled: boolean): Uint8Array {
  const parts = [SHEET_HEAD];
  for (let i = 1; i <= rows; i++)
    parts.push(
      `<row r="${i}">${inline(`A${i}`, 'x')}${filled ? inline(`XFD${i}`, 'y') : `<c r="XFD${i}" s="1"/>`}</row>`,
    );
  parts.push(SHEET_TAIL);
  return strToU8(parts.join(''));
}
