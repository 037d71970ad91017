// Sarabun for the printable reports (SIL Open Font License 1.1; the WOFF2 files in ./fonts are copied from
// @fontsource/sarabun by scripts/report-font.ts). The page embeds them as data URLs so it looks and prints the same
// anywhere with nothing fetched; each runtime hands in the bytes (Deps.reportFonts): Node reads the files, the Worker
// imports them as binary modules. They used to be a base64 string in the script: 43 KiB of the 500 KiB gzip budget
// of what every cold isolate parses, for a page only admins open.

export const REPORT_FONT_FILES = [
  { subset: 'thai', weight: 400, file: 'sarabun-thai-400-normal.woff2' },
  { subset: 'thai', weight: 700, file: 'sarabun-thai-700-normal.woff2' },
  { subset: 'latin', weight: 400, file: 'sarabun-latin-400-normal.woff2' },
  { subset: 'latin', weight: 700, file: 'sarabun-latin-700-normal.woff2' },
] as const;
export type ReportFontFile = (typeof REPORT_FONT_FILES)[number]['file'];

export interface ReportFont {
  subset: 'thai' | 'latin';
  weight: 400 | 700;
  /** The WOFF2 file, base64. */
  data: string;
}

/** The report's faces, read once per process or isolate: they never change while it runs. */
export type ReportFonts = () => Promise<readonly ReportFont[]>;

/** ReportFonts from a runtime's way of reading one file; a failed read is tried again on the next report. */
export function reportFonts(read: (file: ReportFontFile) => Promise<Uint8Array> | Uint8Array): ReportFonts {
  let loaded: Promise<readonly ReportFont[]> | undefined;
  return () => {
    loaded ??= Promise.all(
      REPORT_FONT_FILES.map(async (f) => ({ subset: f.subset, weight: f.weight, data: base64(await read(f.file)) })),
    ).catch((err: unknown) => {
      loaded = undefined;
      throw err;
    });
    return loaded;
  };
}

/** btoa over chunks: no Buffer, so the same code runs on Workers. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const RANGES = {
  thai: 'U+0E01-0E5B,U+200C-200D,U+25CC',
  latin: 'U+0000-00FF,U+2013-2014,U+2018-201D,U+2212',
} as const;

/** The @font-face rules of the report's stylesheet; none without fonts (the reader's own sans-serif then). */
export function fontFacesCss(fonts: readonly ReportFont[]): string {
  return fonts
    .map(
      (f) =>
        `@font-face{font-family:'Sarabun';font-style:normal;font-weight:${f.weight};font-display:block;` +
        `src:url(data:font/woff2;base64,${f.data}) format('woff2');unicode-range:${RANGES[f.subset]}}`,
    )
    .join('\n');
}
