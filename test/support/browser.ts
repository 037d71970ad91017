// Debian's Chromium driven by playwright-core, started the way this machine needs: headless, no sandbox (root),
// and no background networking (the closed network refuses those connections, many at a time). Each launch gets
// its own fresh profile, removed by close().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(opts: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'nithet-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1200, height: 900 },
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
