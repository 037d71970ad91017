// Builds .xlsx files for import tests the way an office's spreadsheet holds them: text where typed as text,
// numbers where Excel made numbers of codes, date cells for dates. null leaves a cell (or a whole row) empty.
import writeXlsxFile from 'write-excel-file/universal';

export type FixtureCell = string | number | Date | null;

export async function xlsx(rows: FixtureCell[][], extraSheets: FixtureCell[][][] = []): Promise<Uint8Array> {
  const sheet = (data: FixtureCell[][]) =>
    data.map((r) =>
      r.map((v) =>
        v === null
          ? null
          : typeof v === 'number'
            ? { value: v, type: Number }
            : v instanceof Date
              ? { value: v, type: Date, format: 'dd/mm/yyyy' }
              : { value: v, type: String },
      ),
    );
  const sheets = [rows, ...extraSheets].map((data, i) => ({ sheet: `Sheet${i + 1}`, data: sheet(data) }));
  const blob = await writeXlsxFile(sheets).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
