// A cut of the office's schools by their attributes as query parameters (?level=, ?size=, ?tag=, ?district=,
// ?subdistrict=, ?province=, each repeatable): read for the schools list, the reports and their pages. The rule that
// applies a cut is the campaigns' own (schoolInCut in src/checklists/audience.queries.ts); this only reads it.
import * as z from 'zod';
import type { SchoolCut } from '../checklists/audience.queries.js';
import type { FieldIssue } from '../errors.js';
import {
  parseLevel,
  parseSize,
  schoolLevels,
  schoolLevelTh,
  schoolSizes,
  schoolSizeTh,
  type SchoolLevel,
  type SchoolSize,
} from './attributes.js';

export const CUT_PARAMS = ['level', 'size', 'tag', 'subdistrict', 'district', 'province'] as const;
export type CutParam = (typeof CUT_PARAMS)[number];

/** At most this many values per parameter, each at most 100 characters. */
const MAX_VALUES = 20;

const cutValues = <T extends z.ZodType<string>>(v: T) => z.array(v).max(MAX_VALUES).default([]);
const cutText = z.string().trim().min(1).max(100);

/** A cut as a JSON body (a director's digest cut, people.digest_cut): codes, with the limits of readCut. */
export const schoolCutSchema = z.strictObject({
  levels: cutValues(z.enum(schoolLevels)),
  sizes: cutValues(z.enum(schoolSizes)),
  tags: cutValues(cutText),
  subdistricts: cutValues(cutText),
  districts: cutValues(cutText),
  provinces: cutValues(cutText),
});

/** A cut from parsed single values (the API's schools list). */
export function cutOf(q: Partial<Record<CutParam, string | undefined>>): SchoolCut {
  const one = (v: string | undefined) => (v === undefined ? [] : [v]);
  return {
    levels: one(q.level),
    sizes: one(q.size),
    tags: one(q.tag),
    subdistricts: one(q.subdistrict),
    districts: one(q.district),
    provinces: one(q.province),
  };
}

/**
 * Reads a cut from query parameters (`values(name)`: every value given for it). A level or size is its code or its
 * Thai label; an unknown one, too many values or an over-long value is an issue naming the parameter.
 */
export function readCut(values: (name: CutParam) => string[]): { cut: SchoolCut; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const list = (name: CutParam): string[] => {
    const vs = [...new Set(values(name).map((v) => v.trim()))].filter((v) => v !== '');
    if (vs.length > MAX_VALUES || vs.some((v) => v.length > 100)) {
      issues.push({
        field: name,
        message: `ไม่เกิน ${MAX_VALUES} ค่า ค่าละไม่เกิน 100 ตัวอักษร / at most ${MAX_VALUES} values of 100 characters`,
      });
      return [];
    }
    return vs;
  };
  const coded = <T extends string>(name: CutParam, parse: (v: string) => T | undefined, labels: Record<T, string>) =>
    list(name).flatMap((v) => {
      const code = parse(v);
      if (code !== undefined) return [code];
      issues.push({
        field: name,
        message: `ไม่รู้จัก "${v}" (ใช้ได้: ${Object.values<string>(labels).join(', ')}) / unknown value`,
      });
      return [];
    });
  const cut: SchoolCut = {
    levels: coded('level', parseLevel, schoolLevelTh),
    sizes: coded('size', parseSize, schoolSizeTh),
    tags: list('tag'),
    subdistricts: list('subdistrict'),
    districts: list('district'),
    provinces: list('province'),
  };
  return { cut, issues };
}

/** The cut as query parameters again (links that keep a filter). */
export function cutQuery(cut: SchoolCut): [string, string][] {
  return [
    ...cut.levels.map((v): [string, string] => ['level', v]),
    ...cut.sizes.map((v): [string, string] => ['size', v]),
    ...cut.tags.map((v): [string, string] => ['tag', v]),
    ...cut.subdistricts.map((v): [string, string] => ['subdistrict', v]),
    ...cut.districts.map((v): [string, string] => ['district', v]),
    ...cut.provinces.map((v): [string, string] => ['province', v]),
  ];
}

/** The cut in Thai for a report's heading: ระดับ ปฐมวัย · โครงการ โรงเรียนคุณภาพประจำตำบล. */
export function cutLabel(cut: SchoolCut): string {
  const part = (label: string, vs: readonly string[]) => (vs.length === 0 ? [] : [`${label} ${vs.join(', ')}`]);
  return [
    ...part(
      'ระดับ',
      cut.levels.map((l) => schoolLevelTh[l as SchoolLevel] ?? l),
    ),
    ...part(
      'ขนาด',
      cut.sizes.map((s) => schoolSizeTh[s as SchoolSize] ?? s),
    ),
    ...part('โครงการ', cut.tags),
    ...part('ตำบล', cut.subdistricts),
    ...part('อำเภอ', cut.districts),
    ...part('จังหวัด', cut.provinces),
  ].join(' · ');
}
