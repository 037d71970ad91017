// A small RFC 4180 reader for spreadsheet exports: UTF-8 with or without BOM, comma or tab, quoted fields
// (with delimiters, doubled quotes and newlines inside), CRLF or LF. Each record keeps its spreadsheet row
// number (header = 1): a newline inside quotes does not start a row, a blank line does (and is skipped).

export interface CsvRecord {
  row: number;
  cells: string[];
}

export type CsvParse =
  { ok: true; delimiter: ',' | '\t'; records: CsvRecord[] } | { ok: false; row: number; message: string };

/** Strict UTF-8 (a TIS-620 / Windows-874 export would otherwise turn into replacement characters). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseCsv(input: string): CsvParse {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const delimiter = firstLine.split('\t').length > firstLine.split(',').length ? '\t' : ',';
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let row = 1;
  let quoted = false;
  let quoteRow = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push({ row, cells });
    cells = [];
    cell = '';
    row++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') cell += text[++i];
      else quoted = false;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteRow = row;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += ch;
  }
  if (quoted) return { ok: false, row: quoteRow, message: 'unterminated quoted field' };
  if (cell !== '' || cells.length > 0) endRecord();
  return { ok: true, delimiter, records };
}
