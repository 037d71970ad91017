// School and people attributes as data (issue 16): the controlled vocabularies with their Thai labels, and the
// parsers the import and the admin API share. Schools carry levels, a size, an address (subdistrict, district,
// province) and free tags (projects such as โรงเรียนคุณภาพประจำตำบล); people carry learning areas and a position
// (a school's head may be its director, a deputy or an acting head). Campaign audiences filter on any of them
// (src/checklists/audience.queries.ts).

export const schoolLevels = ['early_childhood', 'primary', 'lower_secondary', 'upper_secondary', 'special'] as const;
export type SchoolLevel = (typeof schoolLevels)[number];

export const schoolSizes = ['small', 'medium', 'large', 'extra_large'] as const;
export type SchoolSize = (typeof schoolSizes)[number];

/** The eight learning areas of the basic-education core curriculum (กลุ่มสาระการเรียนรู้). */
export const learningAreas = [
  'thai',
  'math',
  'science',
  'social',
  'health_pe',
  'arts',
  'career',
  'foreign_language',
] as const;
export type LearningArea = (typeof learningAreas)[number];

export const positions = [
  'director',
  'deputy_director',
  'acting_director',
  'teacher',
  'assistant_teacher',
  'contract_teacher',
  'supervisor',
  'office_staff',
  'external_expert',
] as const;
export type Position = (typeof positions)[number];

export const schoolLevelTh: Record<SchoolLevel, string> = {
  early_childhood: 'ปฐมวัย',
  primary: 'ประถมศึกษา',
  lower_secondary: 'มัธยมศึกษาตอนต้น',
  upper_secondary: 'มัธยมศึกษาตอนปลาย',
  special: 'การศึกษาพิเศษ',
};

export const schoolSizeTh: Record<SchoolSize, string> = {
  small: 'ขนาดเล็ก',
  medium: 'ขนาดกลาง',
  large: 'ขนาดใหญ่',
  extra_large: 'ขนาดใหญ่พิเศษ',
};

export const learningAreaTh: Record<LearningArea, string> = {
  thai: 'ภาษาไทย',
  math: 'คณิตศาสตร์',
  science: 'วิทยาศาสตร์และเทคโนโลยี',
  social: 'สังคมศึกษา ศาสนา และวัฒนธรรม',
  health_pe: 'สุขศึกษาและพลศึกษา',
  arts: 'ศิลปะ',
  career: 'การงานอาชีพ',
  foreign_language: 'ภาษาต่างประเทศ',
};

export const positionTh: Record<Position, string> = {
  director: 'ผู้อำนวยการสถานศึกษา',
  deputy_director: 'รองผู้อำนวยการสถานศึกษา',
  acting_director: 'รักษาการในตำแหน่งผู้อำนวยการสถานศึกษา',
  teacher: 'ครู',
  assistant_teacher: 'ครูผู้ช่วย',
  contract_teacher: 'พนักงานราชการ / ครูอัตราจ้าง',
  supervisor: 'ศึกษานิเทศก์',
  office_staff: 'บุคลากรทางการศึกษา',
  external_expert: 'ผู้ทรงคุณวุฒิ',
};

const norm = (v: string) => v.trim().toLowerCase().replace(/\s+/g, '');

/** Thai labels, common short forms and the English codes, normalised (no spaces, lower case). */
function lookup<T extends string>(labels: Record<T, string>, extra: Record<string, T>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [code, th] of Object.entries(labels) as [T, string][]) {
    m.set(norm(code), code);
    m.set(norm(th), code);
  }
  for (const [alias, code] of Object.entries(extra)) m.set(norm(alias), code);
  return m;
}

const levelLookup = lookup(schoolLevelTh, {
  อนุบาล: 'early_childhood',
  ก่อนประถม: 'early_childhood',
  ประถม: 'primary',
  'ม.ต้น': 'lower_secondary',
  มัธยมต้น: 'lower_secondary',
  ขยายโอกาส: 'lower_secondary',
  'ม.ปลาย': 'upper_secondary',
  มัธยมปลาย: 'upper_secondary',
  ศึกษาพิเศษ: 'special',
  เฉพาะความพิการ: 'special',
});
const sizeLookup = lookup(schoolSizeTh, { เล็ก: 'small', กลาง: 'medium', ใหญ่: 'large', ใหญ่พิเศษ: 'extra_large' });
const areaLookup = lookup(learningAreaTh, {
  วิทยาศาสตร์: 'science',
  สังคมศึกษา: 'social',
  สังคม: 'social',
  สุขศึกษา: 'health_pe',
  พลศึกษา: 'health_pe',
  คณิต: 'math',
  การงาน: 'career',
  การงานอาชีพและเทคโนโลยี: 'career',
  ภาษาอังกฤษ: 'foreign_language',
  อังกฤษ: 'foreign_language',
  english: 'foreign_language',
  pe: 'health_pe',
});
const positionLookup = lookup(positionTh, {
  ผู้อำนวยการ: 'director',
  ผู้อำนวยการโรงเรียน: 'director',
  'ผอ.': 'director',
  ผอ: 'director',
  รองผู้อำนวยการ: 'deputy_director',
  'รองผอ.': 'deputy_director',
  'รอง ผอ.': 'deputy_director',
  รักษาการผู้อำนวยการ: 'acting_director',
  'รักษาการ ผอ.': 'acting_director',
  รักษาการในตำแหน่งผู้อำนวยการ: 'acting_director',
  'ศน.': 'supervisor',
  พนักงานราชการ: 'contract_teacher',
  ครูอัตราจ้าง: 'contract_teacher',
  ผู้ทรงคุณวุฒิภายนอก: 'external_expert',
});

export const parseLevel = (v: string): SchoolLevel | undefined => levelLookup.get(norm(v));
export const parseSize = (v: string): SchoolSize | undefined => sizeLookup.get(norm(v));
export const parseLearningArea = (v: string): LearningArea | undefined => areaLookup.get(norm(v));
export const parsePosition = (v: string): Position | undefined => positionLookup.get(norm(v));

/** A cell holding a list: comma, semicolon, slash-free (Thai names hold none of these), or a new line. */
export function splitList(cell: string): string[] {
  return [
    ...new Set(
      cell
        .split(/[,;\n、]/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

/** Parses each entry of a list cell; returns the codes and the entries not understood. */
export function parseList<T>(cell: string, parse: (v: string) => T | undefined): { codes: T[]; unknown: string[] } {
  const codes: T[] = [];
  const unknown: string[] = [];
  for (const part of splitList(cell)) {
    const code = parse(part);
    if (code === undefined) unknown.push(part);
    else if (!codes.includes(code)) codes.push(code);
  }
  return { codes, unknown };
}

/** Attributes of a school as given: a key absent means "keep what is stored", null or [] clears it. */
export interface SchoolAttrs {
  levels?: SchoolLevel[];
  size?: SchoolSize | null;
  subdistrict?: string | null;
  district?: string | null;
  province?: string | null;
  tags?: string[];
}

export interface PersonAttrs {
  learningAreas?: LearningArea[];
  position?: Position | null;
}

/**
 * A campaign's audience filters beyond roles, schools and clusters; each empty list means "any". A person is in the
 * audience when their school has one of the levels, sizes and tags, lies in one of the subdistricts, districts and
 * provinces, and the person teaches one of the learning areas and holds one of the positions.
 */
export interface AudienceFilters {
  levels: SchoolLevel[];
  sizes: SchoolSize[];
  tags: string[];
  subdistricts: string[];
  districts: string[];
  provinces: string[];
  learningAreas: LearningArea[];
  positions: Position[];
}

export const noFilters = (): AudienceFilters => ({
  levels: [],
  sizes: [],
  tags: [],
  subdistricts: [],
  districts: [],
  provinces: [],
  learningAreas: [],
  positions: [],
});
