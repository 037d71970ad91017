// The CLI's exports and XLSX imports as an operator runs them: files written with --out (read back here), CSV on
// stdout, progress of an import on stderr, problems named with a non-zero exit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import readXlsxFile from 'read-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTarget, type CliTarget } from '../support/cli.js';
import { xlsx } from '../imports/xlsx-fixture.js';

let t: CliTarget;
beforeAll(async () => {
  t = await cliTarget('nithet-export-cli-');
});
afterAll(() => t.close());
const cli = (...args: string[]) => t.cli(...args);

describe('npm run cli -- import (xlsx) and export', () => {
  it('imports a workbook with progress on stderr, then exports completion to a file and responses to stdout', async () => {
    expect((await cli('seed', 'demo')).code).toBe(0);
    const workbook = join(t.dataDir, 'schools.xlsx');
    writeFileSync(
      workbook,
      await xlsx([
        ['รหัสโรงเรียน', 'ชื่อโรงเรียน', 'รหัสเครือข่าย', 'ชื่อเครือข่าย'],
        [7020202020, 'โรงเรียนบ้านซีแอลไอทดสอบ', 'CLIN', 'เครือข่ายซีแอลไอ'],
        [7020202021, 'โรงเรียนวัดซีแอลไอทดสอบ', 'CLIN', 'เครือข่ายซีแอลไอ'],
      ]),
    );
    const imported = await cli('import', 'schools', '--office', 'DEMO1', '--file', workbook);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('read: 2 rows');
    expect(imported.stderr).toContain('validated: 2 rows');
    expect(imported.stderr).toContain('written: 2 rows');
    expect(imported.stdout).toContain('written:   2 (created 2, updated 0)');

    const created = await cli(
      'campaign',
      'create',
      '--office',
      'DEMO1',
      '--checklist',
      'needs-survey',
      '--roles',
      'principal',
      '--due',
      '2026-12-31',
      '--title',
      'สำรวจความต้องการซีแอลไอ',
    );
    expect(created.code).toBe(0);
    const campaign = /campaign ([0-9a-f-]{36})/.exec(created.stdout)?.[1] ?? '';
    expect(campaign).not.toBe('');

    const out = join(t.dataDir, 'completion.xlsx');
    const done = await cli(
      'export',
      'completion',
      '--office',
      'DEMO1',
      '--campaign',
      campaign,
      '--format',
      'xlsx',
      '--out',
      out,
    );
    expect(done.code).toBe(0);
    expect(done.stderr).toContain(`wrote ${out}`);
    const bytes = readFileSync(out);
    const sheets = await readXlsxFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(sheets.map((s) => s.sheet)).toEqual(['รายโรงเรียน by school', 'รายเครือข่าย by cluster']);
    const cliSchools = sheets[0]?.data.filter((r) => String(r[0]).startsWith('702020202'));
    // Schools without a principal yet: targeted, nobody expected, so no percent.
    expect(cliSchools).toEqual([
      ['7020202020', 'โรงเรียนบ้านซีแอลไอทดสอบ', 'CLIN', 'เครือข่ายซีแอลไอ', 0, 0, 0, 0, null],
      ['7020202021', 'โรงเรียนวัดซีแอลไอทดสอบ', 'CLIN', 'เครือข่ายซีแอลไอ', 0, 0, 0, 0, null],
    ]);

    const responses = await cli('export', 'responses', '--office', 'DEMO1', '--campaign', campaign);
    expect(responses.code).toBe(0);
    const [people, keys] = responses.stdout.split('\r\n');
    expect(people).toMatch(/^\uFEFFรหัสคำตอบ,สถานะ,ส่งเมื่อ \(เวลาสำนักงาน\),/);
    expect(keys).toMatch(/^response_id,status,submitted_at,submitted_at_iso,school_code,/);

    const foreign = await cli('export', 'responses', '--office', 'DEMO1', '--campaign', crypto.randomUUID());
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('No such campaign');
    const badDate = await cli('export', 'visits', '--office', 'DEMO1', '--from', 'เมื่อไรก็ได้');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('from: อ่านวันที่');
  }, 240_000);
});
