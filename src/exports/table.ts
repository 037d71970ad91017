// One shape for every export (responses, visit log, completion, SAR synthesis): named sheets of rows, written as
// CSV (UTF-8 with BOM, so Excel shows Thai) or as XLSX (one workbook, one worksheet per sheet). write-excel-file's
// universal build runs on Workers and Node alike (fflate only), so both runtimes produce the same file.
import writeXlsxFile from 'write-excel-file/universal';

export type Cell = string | number | null;

export interface Sheet {
  /** Worksheet name: at most 31 characters and none of : \ / ? * [ ] (Excel's rules); cut and cleaned here. */
  name: string;
  header: string[];
  /**
   * A second header row of stable keys (e.g. `done@v1`) under the header people read: programs match columns by
   * key, so a reworded question or a new version never shifts what they read.
   */
  keys?: string[];
  rows: Cell[][];
}

/** The sheet's header rows: the one people read, then the keys when it has them. */
export const headerRows = (s: Sheet): string[][] => (s.keys === undefined ? [s.header] : [s.header, s.keys]);

export type ExportFormat = 'csv' | 'xlsx';

/** Text that starts like a formula is neutralised (CSV/XLSX injection): Excel would otherwise run it. */
export function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function toCsv(rows: Cell[][]): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    const s = typeof v === 'string' ? safeText(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // BOM first: without it Excel reads UTF-8 as the local code page and Thai turns into mojibake.
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[:\\/?*[\]]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - `-${i}`.length)}-${i}`;
  taken.add(out.toLowerCase());
  return out;
}

export async function toXlsx(sheets: Sheet[]): Promise<Uint8Array> {
  const taken = new Set<string>();
  const blob = await writeXlsxFile(
    sheets.map((s) => ({
      sheet: sheetName(s.name, taken),
      stickyRowsCount: headerRows(s).length,
      data: [
        ...headerRows(s).map((row) => row.map((h) => ({ value: h, fontWeight: 'bold' as const }))),
        ...s.rows.map((r) =>
          r.map((v) =>
            v === null
              ? null
              : typeof v === 'number'
                ? { value: v, type: Number }
                : { value: safeText(v), type: String },
          ),
        ),
      ],
    })),
  ).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/** CSV holds one sheet: the first; the others (repeat groups) are exported by name. */
export async function render(
  sheets: Sheet[],
  format: ExportFormat,
): Promise<{ body: Uint8Array | string; contentType: string; extension: string }> {
  if (format === 'xlsx') {
    return {
      body: await toXlsx(sheets),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      extension: 'xlsx',
    };
  }
  const first: Sheet = sheets[0] ?? { name: 'empty', header: [], rows: [] };
  return {
    body: toCsv([...headerRows(first), ...first.rows]),
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
  };
}
