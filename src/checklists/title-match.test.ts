import { describe, expect, it } from 'vitest';
import { byTitleWords } from './title-match.js';

const open = [
  { title: 'แบบสำรวจความต้องการพัฒนาครู ปีการศึกษา 2569' },
  { title: 'แบบประเมินตนเองก่อนการนิเทศ' },
  { title: 'รายงานการประเมินตนเอง (SAR)' },
  { title: 'สถานะห้องเรียน' },
];
const titles = (text: string) => byTitleWords(text, open).map((c) => c.title);

describe('byTitleWords', () => {
  it.each([
    ['สำรวจความต้องการ', ['แบบสำรวจความต้องการพัฒนาครู ปีการศึกษา 2569']],
    ['สำรวจความต้องการค่ะ', ['แบบสำรวจความต้องการพัฒนาครู ปีการศึกษา 2569']],
    ['ความต้องการ ๒๕๖๙ นะครับ', ['แบบสำรวจความต้องการพัฒนาครู ปีการศึกษา 2569']],
    ['รายงาน sar ค่ะ', ['รายงานการประเมินตนเอง (SAR)']],
    ['ประเมินตนเอง', ['แบบประเมินตนเองก่อนการนิเทศ', 'รายงานการประเมินตนเอง (SAR)']],
    // A particle said apart is not searched for, though "สถานะ" holds "นะ".
    ['ประเมินตนเอง นะคะ', ['แบบประเมินตนเองก่อนการนิเทศ', 'รายงานการประเมินตนเอง (SAR)']],
  ])('%s → %j', (text, want) => {
    expect(titles(text)).toEqual(want);
  });

  it.each(['sar', 'ครู', 'ค่ะ', '2569', 'สวัสดีครับ', 'ความต้องการ SAR'])('%s matches nothing', (text) => {
    expect(titles(text)).toEqual([]);
  });
});
