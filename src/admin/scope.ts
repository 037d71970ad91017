// What a signed-in principal may see and do, in one place for the admin API and the web pages (issue 13, item 2):
//   admin (a person with the admin role, an office token, the deployment) — the whole office, read and write;
//   director — the whole office, read only, plus reports and exports;
//   supervisor — their assigned schools only (by school or by cluster), read only except their own visits and
//   feedback;
//   committee — a ก.ต.ป.น. member from outside (role committee): the committee's pages only, read only, no school.
// The scope is enforced in SQL: queries that list schools, people or answers take `schoolFilter(scope, …)`, which is
// `true` for an office-wide scope and an EXISTS over supervisor_assignments for a supervisor, so a page can never
// show a row that the scope's own statement did not select.
import { sql, type SQL } from 'drizzle-orm';
import type { AdminPrincipal } from './principal.js';

export type ScopeRole = 'admin' | 'director' | 'supervisor' | 'committee';

export interface Scope {
  role: ScopeRole;
  /** The office the principal belongs to; null for the deployment, which may open every office. */
  officeId: string | null;
  /** The person, for a person's session (the audit log's actor, a supervisor's own rows). */
  personId: string | null;
  /** 'office': every school of the office; 'assigned': a supervisor's schools (supervisor_assignments). */
  schools: 'office' | 'assigned';
}

/** The one mapping from a principal to its scope. */
export function scopeOf(p: AdminPrincipal): Scope {
  switch (p.kind) {
    case 'deployment':
      return { role: 'admin', officeId: null, personId: null, schools: 'office' };
    case 'office':
      return { role: 'admin', officeId: p.officeId, personId: null, schools: 'office' };
    case 'person':
      return {
        role: p.role,
        officeId: p.officeId,
        personId: p.personId,
        // A committee member is assigned no school, so the assigned-schools filter selects none.
        schools: p.role === 'admin' || p.role === 'director' ? 'office' : 'assigned',
      };
  }
}

/**
 * What a scope may do:
 * - `office.read`: office-wide pages and lists (people, the audit log, PDPA requests, every campaign's figures);
 * - `office.write`: any change to the office (people, invites, imports, campaigns, settings, tokens);
 * - `exports`: reports and exports (the API's /exports reads);
 * - `schools.read`: the schools in the scope, their responses, evidence, visits and completion;
 * - `own.write`: the person's own visits and feedback;
 * - `committee.read`: the ก.ต.ป.น. committee's pages (members, meetings, minutes, resolutions, the plan).
 */
export type Capability = 'office.read' | 'office.write' | 'exports' | 'schools.read' | 'own.write' | 'committee.read';

const GRANTS: Record<ScopeRole, ReadonlySet<Capability>> = {
  admin: new Set<Capability>(['office.read', 'office.write', 'exports', 'schools.read', 'own.write', 'committee.read']),
  director: new Set<Capability>(['office.read', 'exports', 'schools.read', 'committee.read']),
  supervisor: new Set<Capability>(['schools.read', 'own.write']),
  committee: new Set<Capability>(['committee.read']),
};

export function can(scope: Scope, what: Capability): boolean {
  return GRANTS[scope.role].has(what);
}

/**
 * A condition on a school id (an SQL expression, e.g. `s.id` or `p.school_id`) that holds for the schools in the
 * scope: `true` office-wide; for a supervisor, schools assigned to them directly or through the school's cluster.
 * A row without a school (office staff) is in an office-wide scope only.
 */
export function schoolFilter(scope: Scope, schoolId: SQL): SQL {
  if (scope.schools === 'office') return sql`true`;
  return sql`EXISTS (SELECT 1 FROM supervisor_assignments sa_scope
                      JOIN schools s_scope ON s_scope.id = ${schoolId}
                     WHERE sa_scope.supervisor_id = ${scope.personId}::uuid
                       AND sa_scope.office_id = s_scope.office_id
                       AND (sa_scope.school_id = s_scope.id OR sa_scope.cluster_id = s_scope.cluster_id))`;
}
