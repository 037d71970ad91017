// `seed demo`: creates or refreshes the demo office, and issues one fresh unused invite per persona. Repeatable:
// everything is upserted by natural keys, and older unused persona invites are revoked. A campaign already there
// keeps its dates (a restart does not move deadlines). With `story`, the first start also writes the office's
// story (src/demo/story.ts): calendar, answers, overdue work and visits.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { upsertOffice, upsertPeople, upsertSchools, schoolIdsByCode } from '../admin/admin.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import { syncBuiltins } from '../checklists/builtin-files.js';
import { assignSupervisor, findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { campaignsByTitle, clusterIdsByCode } from './demo.queries.js';
import { seedDemoStory } from './story.js';
import { DEMO_CAMPAIGNS, DEMO_CLUSTERS, DEMO_OFFICE, DEMO_PEOPLE, DEMO_SCHOOLS } from './demo-data.js';

export interface DemoSeed {
  office: { id: string; code: string; nameTh: string };
  personas: { role: Role; name: string; school: string | null; inviteCode: string }[];
}

export async function seedDemo(db: Db, now: number, opts: { story?: boolean } = {}): Promise<DemoSeed> {
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
  const idOf = (externalId: string) => ids[DEMO_PEOPLE.findIndex((p) => p.externalId === externalId)] ?? '';

  // Supervisors: one network each, as main supervisor; the second also joins the first network.
  const clusters = await clusterIdsByCode(db, office.id);
  const cluster = (code: string) => clusters.get(code) ?? null;
  await assignSupervisor(db, office.id, {
    supervisorId: idOf('demo-supervisor-1'),
    schoolId: null,
    clusterId: cluster('C1'),
    kind: 'main',
  });
  await assignSupervisor(db, office.id, {
    supervisorId: idOf('demo-supervisor-2'),
    schoolId: null,
    clusterId: cluster('C2'),
    kind: 'main',
  });
  await assignSupervisor(db, office.id, {
    supervisorId: idOf('demo-supervisor-2'),
    schoolId: null,
    clusterId: cluster('C1'),
    kind: 'joint',
  });

  // The built-in checklists, and a campaign for each role so every persona has something to answer.
  const synced = await syncBuiltins(db);
  const bad = synced.filter((l) => l.outcome === 'invalid' || l.outcome === 'conflict');
  if (bad.length > 0) throw new Error(`built-in checklists not published: ${bad.map((b) => b.file).join(', ')}`);
  const existing = await campaignsByTitle(
    db,
    office.id,
    DEMO_CAMPAIGNS.map((c) => c.titleTh),
  );
  for (const c of DEMO_CAMPAIGNS) {
    if (existing.has(c.titleTh)) continue;
    const checklist = await findChecklist(db, office.id, c.checklist);
    if (checklist === undefined) throw new Error(`no checklist ${c.checklist}`);
    await upsertCampaign(db, {
      officeId: office.id,
      checklistId: checklist.id,
      titleTh: c.titleTh,
      roles: c.roles,
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(now - 86_400_000).toISOString(),
      dueAt: new Date(now + c.dueInDays * 86_400_000).toISOString(),
    });
  }

  if (opts.story === true) {
    const title = (key: string) => DEMO_CAMPAIGNS.find((c) => c.checklist === key)?.titleTh ?? '';
    await seedDemoStory(db, office.id, now, {
      survey: title('needs-survey'),
      selfAssessment: title('pre-visit-self-assessment'),
    });
  }

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
