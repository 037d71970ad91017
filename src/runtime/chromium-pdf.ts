// Node only: the printable report page printed to PDF by Chromium through playwright-core, when both are here.
// Neither is required: without them the printer says so (and the HTML page, printed from a browser, is the PDF).
import { existsSync } from 'node:fs';
import type * as PlaywrightCoreModule from 'playwright-core';

type PlaywrightCore = typeof PlaywrightCoreModule;

export type PdfResult = { ok: true; pdf: Uint8Array } | { ok: false; reason: string };
export type PdfPrinter = (html: string) => Promise<PdfResult>;

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPdf(executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): PdfPrinter {
  return async (html) => {
    if (!existsSync(executablePath)) return { ok: false, reason: `Chromium not found at ${executablePath}` };
    let pw: PlaywrightCore;
    try {
      pw = await import('playwright-core');
    } catch {
      return { ok: false, reason: 'playwright-core is not installed' };
    }
    const browser = await pw.chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // The page carries its font and charts; block anything it might still ask for.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready.then(() => true)').catch(() => undefined);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      return { ok: true, pdf: new Uint8Array(pdf) };
    } finally {
      await browser.close();
    }
  };
}
