// A typed answer a person could give to any checklist item: what the walk test and the checklist bench send.
import type { LeafItem } from '../../src/checklists/definition.js';

export type TypedAnswer = { kind: 'text'; text: string } | { kind: 'photo' };

/** `long` makes text answers as long as the item allows (for size measurements). */
export function typedAnswer(item: LeafItem, opts: { long?: boolean } = {}): TypedAnswer {
  switch (item.type) {
    case 'yes_no':
      return { kind: 'text', text: 'ใช่ครับ' };
    case 'select_one':
      return { kind: 'text', text: '๑' };
    case 'select_many':
      return { kind: 'text', text: '1, 2' };
    case 'rating':
      return { kind: 'text', text: '๔' };
    case 'number': {
      const v = Math.max(item.min ?? 0, Math.min(item.max ?? 50, 50));
      return { kind: 'text', text: String(item.integer ? Math.round(v) : v) };
    }
    case 'text':
      return {
        kind: 'text',
        text:
          opts.long === true
            ? 'มีการดำเนินงานตามแผนและติดตามผลทุกเดือน '.repeat(60).slice(0, item.maxLength)
            : 'มีการดำเนินงานตามแผน\nและติดตามผลทุกเดือน',
      };
    case 'date':
      return { kind: 'text', text: '20/11/2569' };
    case 'photo':
      return { kind: 'photo' };
    case 'acknowledge':
      return { kind: 'text', text: 'รับทราบ' };
    case 'document':
      throw new Error('document items are answered with files');
    case 'note':
    case 'calculate':
      throw new Error(`${item.type} items are never asked`);
  }
}
