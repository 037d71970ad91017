// `seed demo`: creates or refreshes the demo office, and issues one fresh unused invite per persona. Repeatable:
// everything is upserted by natural keys, and older unused persona invites are revoked.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { upsertOffice, upsertPeople, upsertSchools, schoolIdsByCode } from '../admin/admin.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import { DEMO_CLUSTERS, DEMO_OFFICE, DEMO_PEOPLE, DEMO_SCHOOLS } from './demo-data.js';

export interface DemoSeed {
  office: { id: string; code: string; nameTh: string };
  personas: { role: Role; name: string; school: string | null; inviteCode: string }[];
}

export async function seedDemo(db: Db, now: number): Promise<DemoSeed> {
  const office = await upsertOffice(db, DEMO_OFFICE);
  const clusterName = new Map(DEMO_CLUSTERS.map((c) => [c.code, c.nameTh]));
  await upsertSchools(
    db,
    office.id,
    DEMO_SCHOOLS.map((s) => ({ ...s, clusterNameTh: clusterName.get(s.clusterCode) ?? null })),
  );
  const schoolIds = await schoolIdsByCode(
    db,
    office.id,
    DEMO_SCHOOLS.map((s) => s.code),
  );
  const ids = await upsertPeople(
    db,
    office.id,
    DEMO_PEOPLE.map((p) => ({
      id: crypto.randomUUID(),
      displayName: p.displayName,
      role: p.role,
      externalId: p.externalId,
      schoolId: p.schoolIndex === null ? null : (schoolIds.get(DEMO_SCHOOLS[p.schoolIndex]?.code ?? '') ?? null),
    })),
  );
  const personaIds = DEMO_PEOPLE.flatMap((p, i) => (p.persona ? [ids[i] ?? ''] : []));
  const invites = await issueInvites(db, office.id, personaIds, now, 365);
  const codeOf = new Map(invites.map((i) => [i.personId, i.code]));
  return {
    office: { id: office.id, code: office.code, nameTh: office.name_th },
    personas: DEMO_PEOPLE.flatMap((p, i) =>
      p.persona
        ? [
            {
              role: p.role,
              name: p.displayName,
              school: p.schoolIndex === null ? null : (DEMO_SCHOOLS[p.schoolIndex]?.nameTh ?? null),
              inviteCode: codeOf.get(ids[i] ?? '') ?? '',
            },
          ]
        : [],
    ),
  };
}
