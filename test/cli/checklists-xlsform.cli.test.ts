// `npm run cli -- checklists import|export` as an operator runs them: an XLSForm (its key from the file name when
// the settings give none) published with the API's answers, problems by cell on stderr, and any version written out
// as a workbook that imports back unchanged.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsForm } from '../../src/checklists/xlsform/read.js';
import { readBuiltins } from '../../src/checklists/builtin-files.js';
import { cliTarget, type CliTarget } from '../support/cli.js';

let t: CliTarget;
beforeAll(async () => {
  t = await cliTarget('nithet-xlsform-cli-');
  expect((await t.cli('seed', 'demo')).code).toBe(0);
}, 120_000);
afterAll(() => t.close());

const fixture = (path: string) => {
  const to = join(t.dataDir, path.replace(/.*\//, ''));
  copyFileSync(new URL(`../fixtures/xlsform/${path}`, import.meta.url), to);
  return to;
};

describe('npm run cli -- checklists', () => {
  it('imports an XLSForm the chat runs (choice_filter included), and is unchanged the second time', async () => {
    const file = fixture('thai/school-location-filter.xlsx');
    const first = await t.cli('checklists', 'import', file, '--office', 'DEMO1');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created school-location v1 \([0-9a-f-]{36}\)$/m);
    expect(first.stderr).not.toMatch(/ยังใช้ในแชตไม่ได้|not available in chat/);
    const again = await t.cli('checklists', 'import', file, '--office', 'DEMO1');
    expect(again.stdout).toMatch(/^unchanged school-location v1/m);
  }, 120_000);

  it('takes the key from the file name when the settings give none, as pyxform does', async () => {
    const r = await t.cli('checklists', 'import', fixture('pyxform/text_and_integer.xlsx'), '--office', 'DEMO1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created text-and-integer v1/m);
  }, 120_000);

  it('names each problem by sheet and cell on stderr and exits 1', async () => {
    const r = await t.cli('checklists', 'import', fixture('pyxform/pull_data.xlsx'), '--office', 'DEMO1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'survey!D2 [calculation]: ฟังก์ชัน pulldata() ใช้ในแชต LINE ไม่ได้ / function pulldata() is not supported at 0',
    );
    expect((await t.cli('checklists', 'import', fixture('pyxform/group.xlsx'), '--office', 'NOPE')).stderr).toContain(
      'no office NOPE',
    );
  }, 120_000);

  it('exports a built-in (latest version) and an office version; both read back to the same definition', async () => {
    const out = join(t.dataDir, 'visit.xlsx');
    const r = await t.cli('checklists', 'export', 'supervision-visit', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${out} (supervision-visit v2)`);
    const builtin = (await readBuiltins()).find((b) => b.file === 'supervision-visit.json');
    const back = await readXlsForm(new Uint8Array(readFileSync(out)));
    expect(back.ok && builtin?.ok ? back.definition : 'unreadable').toEqual(builtin?.ok ? builtin.definition : 'x');

    const mine = join(t.dataDir, 'location.xlsx');
    const own = await t.cli(
      'checklists',
      'export',
      'school-location',
      '--version',
      '1',
      '--office',
      'DEMO1',
      '--out',
      mine,
    );
    expect(own.code).toBe(0);
    const reimport = await t.cli('checklists', 'import', mine, '--office', 'DEMO1');
    expect(reimport.stdout).toMatch(/^unchanged school-location v1/m);
    // Another office's own checklist is not a built-in: without --office it is not found.
    const none = await t.cli('checklists', 'export', 'school-location', '--out', mine);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no checklist school-location');
  }, 120_000);
});
