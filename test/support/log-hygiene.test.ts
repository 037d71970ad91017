// The log-hygiene check every harness runs on close must itself catch what it is for.
import { describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/demo/demo-data.js';
import { logLeaks } from './harness.js';

const clean = '{"level":"info","msg":"duplicate event skipped","event":"01HZX3","channel":"default"}';

describe('log hygiene check', () => {
  it.each([
    ['a LINE user id', `{"msg":"x","to":"U${'0a'.repeat(16)}"}`],
    ['a person’s name', `{"msg":"linked","name":"${DEMO_PEOPLE[0]?.displayName ?? ''}"}`],
    ['a secret', '{"msg":"auth","token":"s3cr3t-value"}'],
    ['the database URL', '{"msg":"db","url":"postgres://postgres@127.0.0.1:5432/x"}'],
  ])('flags %s', (_, line) => {
    expect(logLeaks([clean, line], ['s3cr3t-value', 'postgres://postgres@127.0.0.1:5432/x'])).toEqual([line]);
  });

  it('passes ids of our own rows, event ids and counts', () => {
    expect(
      logLeaks([clean, '{"msg":"tick","sent":3,"person":"3f0c7f7e-2a1b-4c1d-9e8f-0123456789ab"}'], ['x'.repeat(32)]),
    ).toEqual([]);
  });
});
