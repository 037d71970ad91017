// XLSForms nobody here wrote: pyxform's own test forms (test/fixtures/xlsform/pyxform, BSD-2-Clause), and three
// Thai forms written as an office clerk would (test/fixtures/xlsform/thai, from scripts/xlsform-thai-forms.ts).
// Each is pinned: accepted (the chat runs all it stores), or refused with every issue by sheet and cell.
// A form refused for anything but an unsupported type, function or media must be one pyxform's authors made
// invalid on purpose (FORM_ERRORS), so a regression in the reader cannot hide among the expected refusals.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXlsForm } from '../../src/checklists/xlsform/read.js';
import { writeXlsForm } from '../../src/checklists/xlsform/write.js';

type Outcome = { accepted: string } | { refused: string[] };

const PYXFORM: Record<string, Outcome> = {
  'attribute_columns_test.xlsx': {
    refused: [
      'survey!N7 function regex() is not supported at 0',
      'survey!E10 a LINE chat cannot show media in place of a label: give a text label',
      'survey!A32 type "time" cannot be asked in a LINE chat',
      'survey!A33 type "datetime" cannot be asked in a LINE chat',
      'survey!A34 type "geopoint" cannot be asked in a LINE chat',
      'survey!A35 type "barcode" cannot be asked in a LINE chat',
      'survey!A37 type "audio" cannot be asked in a LINE chat',
      'survey!A38 type "video" cannot be asked in a LINE chat',
      'survey!E43 nithet does not keep "start" as an answer, so it cannot be referred to',
      'survey!E45 nithet does not keep "end" as an answer, so it cannot be referred to',
      'survey!E49 nithet does not keep "deviceid" as an answer, so it cannot be referred to',
      'survey!E51 nithet does not keep "uri:deviceid" as an answer, so it cannot be referred to',
      'survey!E53 nithet does not keep "simserial" as an answer, so it cannot be referred to',
      'survey!E55 nithet does not keep "phonenumber" as an answer, so it cannot be referred to',
      'survey!L59 appearance "ex:org.thirdparty.app.ActivityName" launches another app, which a LINE chat cannot',
      'choices!C4 a LINE chat cannot show media in place of a label: give a text label',
      'choices!C5 a LINE chat cannot show media in place of a label: give a text label',
    ],
  },
  'bad_calc.xlsx': { refused: ['survey!D2 unterminated string at 21: expected a closing "\'"'] },
  'case_insensitivity.xlsx': {
    refused: [
      'SURVEY!A3 type "select_one_external" cannot be asked in a LINE chat',
      'SURVEY!A4 type "osm" cannot be asked in a LINE chat',
    ],
  },
  'choice_filter_test.xlsx': { accepted: 'cascading-selects1' },
  'extra_columns.xlsx': { accepted: 'extra-columns' },
  'extra_sheet_names.xlsx': { accepted: 'extra-sheet-names' },
  'field-list.xlsx': { accepted: 'field-list' },
  'flat_xlsform_test.xlsx': {
    refused: [
      'survey!N3 function regex() is not supported at 0',
      'survey!E10 a LINE chat cannot show media in place of a label: give a text label',
      'survey!A32 type "time" cannot be asked in a LINE chat',
      'survey!A33 type "datetime" cannot be asked in a LINE chat',
      'survey!A34 type "geopoint" cannot be asked in a LINE chat',
      'survey!A35 type "barcode" cannot be asked in a LINE chat',
      'survey!A37 type "audio" cannot be asked in a LINE chat',
      'survey!A38 type "video" cannot be asked in a LINE chat',
      'survey!E43 nithet does not keep "start" as an answer, so it cannot be referred to',
      'survey!E45 nithet does not keep "end" as an answer, so it cannot be referred to',
      'survey!E49 nithet does not keep "deviceid" as an answer, so it cannot be referred to',
      'survey!E51 nithet does not keep "uri:deviceid" as an answer, so it cannot be referred to',
      'survey!E53 nithet does not keep "simserial" as an answer, so it cannot be referred to',
      'survey!E55 nithet does not keep "phonenumber" as an answer, so it cannot be referred to',
      'survey!L59 appearance "ex:org.thirdparty.app.ActivityName" launches another app, which a LINE chat cannot',
      'choices!C4 a LINE chat cannot show media in place of a label: give a text label',
      'choices!C5 a LINE chat cannot show media in place of a label: give a text label',
    ],
  },
  'group.xlsx': { refused: ['survey!A4 type "phone number" cannot be asked in a LINE chat'] },
  'include.xlsx': { refused: ['survey!A3 type "include" cannot be asked in a LINE chat'] },
  'include_json.xlsx': { refused: ['survey!A2 type "include" cannot be asked in a LINE chat'] },
  'loop.xlsx': { refused: ['survey!A3 type "begin loop" cannot be asked in a LINE chat'] },
  'or_other.xlsx': {
    refused: ["survey!D3 'yes' is not a column of this question's choices (to compare with the text yes, write 'yes')"],
  },
  'pull_data.xlsx': { refused: ['survey!D2 function pulldata() is not supported at 0'] },
  'specify_other.xlsx': { accepted: 'specify-other' },
  'survey_no_name.xlsx': { accepted: 'survey-no-name' },
  'text_and_integer.xlsx': { accepted: 'text-and-integer' },
  'xlsform_spec_test.xlsx': {
    refused: [
      'survey!N7 function regex() is not supported at 0',
      'survey!E10 a LINE chat cannot show media in place of a label: give a text label',
      'survey!A32 type "time" cannot be asked in a LINE chat',
      'survey!A33 type "datetime" cannot be asked in a LINE chat',
      'survey!A34 type "geopoint" cannot be asked in a LINE chat',
      'survey!A35 type "barcode" cannot be asked in a LINE chat',
      'survey!A37 type "audio" cannot be asked in a LINE chat',
      'survey!A38 type "video" cannot be asked in a LINE chat',
      'survey!E43 nithet does not keep "start" as an answer, so it cannot be referred to',
      'survey!E45 nithet does not keep "end" as an answer, so it cannot be referred to',
      'survey!E49 nithet does not keep "deviceid" as an answer, so it cannot be referred to',
      'survey!E51 nithet does not keep "uri:deviceid" as an answer, so it cannot be referred to',
      'survey!E53 nithet does not keep "phonenumber" as an answer, so it cannot be referred to',
      'survey!L57 appearance "ex:org.thirdparty.app.ActivityName" launches another app, which a LINE chat cannot',
      'choices!C4 a LINE chat cannot show media in place of a label: give a text label',
      'choices!C5 a LINE chat cannot show media in place of a label: give a text label',
    ],
  },
  'yes_or_no_question.xlsx': { accepted: 'yes-or-no-question' },
};

/** Forms pyxform's authors broke on purpose, or that would misbehave in ODK too (see the README beside them). */
const FORM_ERRORS = new Set(['bad_calc.xlsx', 'or_other.xlsx']);

/** What "cannot run in a LINE chat" sounds like: a type, a function, media, another app, device metadata. */
const UNSUPPORTED =
  /cannot be asked in a LINE chat|is not supported|cannot show media|launches another app|does not keep ".*" as an answer/;

const THAI: Record<string, Outcome> = {
  'needs-survey-other.xlsx': { accepted: 'needs-other' },
  'school-location-filter.xlsx': { accepted: 'school-location' },
  'visit-actions.xlsx': { accepted: 'visit-actions' },
};

const DIR = new URL('../fixtures/xlsform/', import.meta.url);
const filesIn = (sub: string) =>
  readdirSync(new URL(sub, DIR))
    .filter((f) => f.endsWith('.xlsx'))
    .sort();

async function outcome(sub: string, file: string): Promise<{ outcome: Outcome; english: boolean }> {
  const bytes = new Uint8Array(readFileSync(new URL(`${sub}${file}`, DIR)));
  // pyxform takes a form's id from its file name when the settings give none; so does the CLI.
  const r = await readXlsForm(bytes, { fallbackKey: file.replace(/\.xlsx$/, '') });
  if (r.ok) {
    return {
      outcome: { accepted: r.definition.key },
      english: true,
    };
  }
  const both = r.issues.every((i) => / \/ /.test(i.message) && /[\u0E00-\u0E7F]/.test(i.message));
  return {
    outcome: {
      refused: r.issues.map(
        (i) => `${i.sheet ?? ''}!${i.cell ?? i.row ?? ''} ${i.message.split(' / ').slice(1).join(' / ')}`,
      ),
    },
    english: both,
  };
}

describe('pyxform test forms', () => {
  it('vendors every .xlsx of tests/example_xls, with the license and source commit beside them', () => {
    expect(filesIn('pyxform/')).toEqual(Object.keys(PYXFORM).sort());
    const readme = readFileSync(new URL('pyxform/README.md', DIR), 'utf8');
    expect(readme).toMatch(/51e5bfecc306febe03b3c4791ad0dbdecad208a4/);
    expect(readFileSync(new URL('pyxform/LICENSE', DIR), 'utf8')).toMatch(
      /Redistribution and use in source and binary/,
    );
  });

  it.each(Object.entries(PYXFORM))('%s', async (file, expected) => {
    const got = await outcome('pyxform/', file);
    expect(got.outcome).toEqual(expected);
    // Every issue in Thai and English.
    expect(got.english).toBe(true);
    if ('refused' in expected && !FORM_ERRORS.has(file)) {
      for (const line of expected.refused) expect(line).toMatch(UNSUPPORTED);
    }
  });
});

describe('Thai forms written as an office clerk would', () => {
  it.each(Object.entries(THAI))('%s is accepted', async (file, expected) => {
    expect(filesIn('thai/')).toContain(file);
    expect((await outcome('thai/', file)).outcome).toEqual(expected);
  });

  it('the visit form keeps its repeat of action items, Thai constraint messages and the rating levels', async () => {
    const r = await readXlsForm(new Uint8Array(readFileSync(new URL('thai/visit-actions.xlsx', DIR))));
    if (!r.ok) throw new Error('refused');
    const actions = r.definition.items.find((i) => i.key === 'actions');
    expect(actions).toMatchObject({
      type: 'repeat',
      label: { th: 'ข้อตกลงการพัฒนา' },
      items: [
        { type: 'text', key: 'action', required: true },
        { type: 'text', key: 'owner', hint: { th: 'เช่น ครูวิชาการ หัวหน้ากลุ่มสาระ' } },
        {
          type: 'date',
          key: 'due',
          constraint: '. >= ${visit_date}',
          constraintMessage: { th: 'วันกำหนดเสร็จต้องไม่ก่อนวันที่นิเทศ' },
        },
      ],
    });
    const section = r.definition.items.find((i) => i.key === 'classroom');
    expect(section).toMatchObject({
      type: 'section',
      label: { th: 'ตอนที่ 1 การจัดการเรียนรู้ในห้องเรียน' },
      items: [{ type: 'rating' }, { type: 'rating' }, { type: 'rating' }],
    });
    expect(r.definition.version).toBe(2569021);
  });

  it.each(Object.keys(THAI))('%s writes back to the same definition', async (file) => {
    const first = await readXlsForm(new Uint8Array(readFileSync(new URL(`thai/${file}`, DIR))));
    if (!first.ok) throw new Error('refused');
    const again = await readXlsForm(await writeXlsForm(first.definition));
    expect(again.ok ? again.definition : again.issues).toEqual(first.definition);
  });
});
