// Loads one SAR campaign's synthesis: two queries (the campaign, its schools), then the pure synthesis. Shared
// by the export route, the CLI and the directors' card so all three read the same figures.
import { loadDefinition } from '../checklists/definition.js';
import type { Db } from '../db/client.js';
import {
  latestSarCampaign,
  sarCampaign,
  type SarCampaignRow,
  sarCampaignsDueLastWeek,
  type SarSchoolQueryRow,
  sarSchools,
} from './sar.queries.js';
import { type SarSynthesis, sarStandards, synthesize } from './synthesis.js';

export interface SarReport {
  campaign: {
    id: string;
    officeId: string;
    officeName: string;
    title: string;
    checklistKey: string;
    timeZone: string;
    dueMs: number;
    /** Null while it is open. */
    closedMs: number | null;
    /** Other SAR campaigns of the office (only counted when the latest was asked for). */
    others: number;
  };
  synthesis: SarSynthesis;
}

/**
 * `campaign`: an id (an unknown, foreign or non-SAR one gives undefined), or the latest opened by `at`. `inCut`: a
 * director's digest cut (the ids of its schools, src/digests/cut.ts): only those schools are synthesized; null, all.
 */
export async function loadSarReport(
  db: Db,
  officeId: string,
  campaign: { id: string } | { latestAt: number },
  inCut: ReadonlySet<string> | null = null,
): Promise<SarReport | undefined> {
  const row =
    'id' in campaign
      ? await sarCampaign(db, officeId, campaign.id)
      : await latestSarCampaign(db, officeId, new Date(campaign.latestAt).toISOString());
  if (row === undefined) return undefined;
  return build(row, await sarSchools(db, [row.id]), inCut);
}

/**
 * The weekly digest's SAR reports: campaigns due last week in any of the offices, in two queries in all. `report`
 * synthesizes them for the whole office (null) or for a director's digest cut, from the same rows: a cut costs no
 * query here.
 */
export async function loadDueSarReports(
  db: Db,
  officeIds: string[],
  at: number,
): Promise<{ report: (inCut: ReadonlySet<string> | null) => SarReport[] }> {
  const rows = await sarCampaignsDueLastWeek(db, officeIds, new Date(at).toISOString());
  const schools = await sarSchools(
    db,
    rows.map((r) => r.id),
  );
  const byCampaign = new Map<string, SarSchoolQueryRow[]>();
  for (const s of schools) byCampaign.set(s.campaign_id, [...(byCampaign.get(s.campaign_id) ?? []), s]);
  return { report: (inCut) => rows.flatMap((r) => build(r, byCampaign.get(r.id) ?? [], inCut) ?? []) };
}

function build(
  row: SarCampaignRow,
  all: SarSchoolQueryRow[],
  inCut: ReadonlySet<string> | null,
): SarReport | undefined {
  const definition = loadDefinition(row.definition);
  if (definition === undefined) return undefined;
  const schools = inCut === null ? all : all.filter((s) => inCut.has(s.school_id));
  const synthesis = synthesize(
    sarStandards(definition),
    schools.map((s) => ({
      schoolId: s.school_id,
      code: s.code,
      name: s.name,
      cluster: s.cluster,
      inAudience: s.in_audience,
      status: s.status,
      answers: s.answers ?? {},
    })),
  );
  return {
    campaign: {
      id: row.id,
      officeId: row.office_id,
      officeName: row.office_name,
      title: row.title_th,
      checklistKey: row.checklist_key,
      timeZone: row.time_zone,
      dueMs: row.due_ms,
      closedMs: row.closed_ms,
      others: row.others,
    },
    synthesis,
  };
}
