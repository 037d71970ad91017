import { describe, expect, it } from 'vitest';
import { commonPhrases } from './phrases.js';

describe('commonPhrases', () => {
  it('ranks the phrases most schools share, each school once, longer phrases over their parts', () => {
    const docs = [
      { school: 'ก', text: 'ควรพัฒนาการวัดผลตามสภาพจริง และการนิเทศภายใน' },
      { school: 'ก', text: 'การวัดผลตามสภาพจริงยังไม่ครบ' },
      { school: 'ข', text: 'การวัดผลตามสภาพจริง ยังไม่ต่อเนื่อง' },
      { school: 'ค', text: 'ครูควรพัฒนาการนิเทศภายใน, การวัดผลตามสภาพจริง' },
      { school: 'ง', text: 'ห้องสมุดมีชีวิต' },
    ];
    const top = commonPhrases(docs);
    expect(top[0]).toEqual({ phrase: 'การวัดผลตามสภาพจริง', schools: ['ก', 'ข', 'ค'] });
    // The segmenter reads ควรพัฒนาการนิเทศ as ควร·พัฒนาการ·นิเทศ, so the shared phrase is นิเทศภายใน.
    expect(top.find((p) => p.phrase === 'นิเทศภายใน')?.schools).toEqual(['ก', 'ค']);
    // Parts of a kept phrase shared by the same schools are not listed again; a phrase of one school is not listed.
    expect(top.map((p) => p.phrase)).not.toContain('วัดผลตามสภาพ');
    expect(top.some((p) => p.phrase.includes('ห้องสมุด'))).toBe(false);
    expect(commonPhrases(docs, { minSchools: 1 }).some((p) => p.phrase.includes('ห้องสมุด'))).toBe(true);
  });
});
