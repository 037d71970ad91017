// `npm run cli -- import …` as an operator runs it: progress lines, every issue on stderr, exit 1 on bad rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTarget, type CliTarget } from '../support/cli.js';

let t: CliTarget;
beforeAll(async () => {
  t = await cliTarget('nithet-import-cli-');
});
afterAll(() => t.close());
const cli = (...args: string[]) => t.cli(...args);

const file = (name: string, text: string) => {
  const path = join(t.dataDir, name);
  writeFileSync(path, text);
  return path;
};

describe('npm run cli -- import', () => {
  it('dry run prints the counts and every issue; a real run writes; a repeat updates', async () => {
    expect((await cli('seed', 'demo')).code).toBe(0);
    const bad = file('bad.csv', 'รหัสโรงเรียน,ชื่อโรงเรียน\n12,โรงเรียนผิด\n7010101010,\n');
    const dry = await cli('import', 'schools', '--office', 'DEMO1', '--file', bad, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('rows read: 2');
    expect(dry.stdout).toContain('valid:     0');
    expect(dry.stderr).toContain('row 2 code: รหัสโรงเรียนต้องเป็นตัวเลข 8–10 หลัก / school code must be 8–10 digits');
    expect(dry.stderr).toContain('row 3 name: ต้องระบุชื่อ / name is required');

    const good = file('good.csv', '\uFEFFcode,name\r\n7010101010,โรงเรียนซีแอลไอ\r\n');
    const first = await cli('import', 'schools', '--office', 'DEMO1', '--file', good);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('written:   1 (created 1, updated 0)');
    const again = await cli('import', 'schools', '--office', 'DEMO1', '--file', good);
    expect(again.stdout).toContain('written:   1 (created 0, updated 1)');

    const people = file('people.csv', 'name,role,school_code,external_id\nครูซีแอลไอ,ครู,7010101010,CLI1\n');
    const withInvites = await cli('import', 'people', '--office', 'DEMO1', '--file', people, '--invites');
    expect(withInvites.code).toBe(0);
    expect(withInvites.stdout).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4} {2}row 2 {2}CLI1 {2}ครูซีแอลไอ/);
    // Five CLI processes, each opening the database: more than the default 30 s on a busy machine.
  }, 120_000);
});
