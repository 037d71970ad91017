import { describe, expect, it } from 'vitest';
import { failureCode, failureKind } from './failure.js';
import { PureTurnError } from './turn.js';

const pgError = (code: string) => Object.assign(new Error('db'), { code });

describe('failureKind', () => {
  it.each([
    ['22P05', 'permanent'],
    ['22021', 'permanent'],
    ['23505', 'permanent'],
    ['40001', 'transient'],
    ['40P01', 'transient'],
    ['08006', 'transient'],
    ['57P01', 'transient'],
    ['53300', 'transient'],
  ])('SQLSTATE %s is %s', (code, kind) => {
    expect(failureKind(pgError(code))).toBe(kind);
    // drizzle wraps the driver's error; the code is found in its cause.
    expect(failureKind(new Error('wrapped', { cause: pgError(code) }))).toBe(kind);
  });

  it('an exception from pure code is permanent; a connection error without a code is transient', () => {
    expect(failureKind(new PureTurnError(new TypeError('x')))).toBe('permanent');
    expect(failureCode(new PureTurnError(new TypeError('x')))).toBe('pure:TypeError');
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(failureCode(pgError('22023'))).toBe('22023');
  });
});
