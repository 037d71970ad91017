// The demo personas as the simulator offers them: a short key for URLs and `cli chat --as`, and a stable dev LINE
// user id per persona, so a persona linked yesterday (PGlite keeps its files) is the same LINE account today.
import { createHash } from 'node:crypto';
import type { Role } from '../db/schema.js';
import { DEMO_PEOPLE } from '../demo/demo-data.js';
import type { DemoSeed } from '../demo/seed.js';

export interface Persona {
  /** `director`, `teacher-1-1`, …: the demo person's external id without `demo-`. */
  key: string;
  role: Role;
  name: string;
  school: string | null;
  inviteCode: string;
  lineUserId: string;
}

export const ROLE_TH: Record<Role, string> = {
  director: 'ผู้อำนวยการเขต',
  admin: 'ผู้ดูแลระบบ',
  supervisor: 'ศึกษานิเทศก์',
  principal: 'ผู้อำนวยการโรงเรียน',
  teacher: 'ครู',
  committee: 'กรรมการ ก.ต.ป.น.',
};

/** `U` and 32 hex digits, shaped like LINE's user ids and the same for a persona on every start. */
export function devLineUserId(key: string): string {
  return `U${createHash('sha256').update(`nithet-dev-persona:${key}`).digest('hex').slice(0, 32)}`;
}

/** Joins the seed's personas (fresh invite codes) to the demo data's external ids by name, which is unique. */
export function personasOf(seed: DemoSeed): Persona[] {
  return seed.personas.flatMap((p) => {
    const person = DEMO_PEOPLE.find((d) => d.persona && d.displayName === p.name);
    if (person === undefined) return [];
    const key = person.externalId.replace(/^demo-/, '');
    return [
      { key, role: p.role, name: p.name, school: p.school, inviteCode: p.inviteCode, lineUserId: devLineUserId(key) },
    ];
  });
}

/** A persona by key, or the first of a role (`--as teacher`). */
export function findPersona(personas: Persona[], keyOrRole: string): Persona | undefined {
  return personas.find((p) => p.key === keyOrRole) ?? personas.find((p) => p.role === keyOrRole);
}
