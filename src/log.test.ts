// withFields: a request's (or unit's) fields on every line it logs, a line's own fields beside them, the level
// filter of the logger under it kept.
import { describe, expect, it } from 'vitest';
import { createLogger, withFields } from './log.js';

describe('withFields', () => {
  it("puts its fields on every line, lets a line's own fields win, and keeps the level filter", () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const fields = { requestId: 'r1', unit: 'u1' };
    const req = withFields(log, fields);
    req.debug('not shown');
    req.info('plain');
    req.warn('more', { unit: 'u2', n: 3 });
    req.error('last');
    expect(lines.map(({ t: _t, ...rest }) => rest)).toEqual([
      { level: 'info', msg: 'plain', requestId: 'r1', unit: 'u1' },
      { level: 'warn', msg: 'more', requestId: 'r1', unit: 'u2', n: 3 },
      { level: 'error', msg: 'last', requestId: 'r1', unit: 'u1' },
    ]);
    expect(fields).toEqual({ requestId: 'r1', unit: 'u1' });
  });
});
