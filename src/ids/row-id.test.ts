import { describe, expect, it } from 'vitest';
import { isUuid } from './uuid.js';
import { ID_SLOT, type IdSlot, rowId } from './row-id.js';

describe('rowId', () => {
  const slots = Object.keys(ID_SLOT) as IdSlot[];

  it('is a version-8 uuid, the same for the same event and slot', () => {
    const id = rowId('chan:01HXYZ', 'response');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('8');
    expect('89ab').toContain(id[19]);
    expect(rowId('chan:01HXYZ', 'response')).toBe(id);
  });

  it('differs between slots of one event and between events', () => {
    const seen = new Set<string>();
    for (let e = 0; e < 2000; e++) for (const s of slots) seen.add(rowId(`chan:event-${e}`, s));
    expect(seen.size).toBe(2000 * slots.length);
  });
});
