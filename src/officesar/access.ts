// Who may open the office SAR's pages, and so whose menu shows them: one rule for the pages' guard
// (src/web/pages/office-sar.tsx) and the menu (src/web/layout.tsx). Office-wide readers (admins, directors) may; so
// may a supervisor who is in one of the office's groups (they enter the indicators their group leads).
import { can, type Scope } from '../admin/scope.js';
import type { Db } from '../db/client.js';
import { inAnyGroup } from './officesar.queries.js';

export function mayOpenOfficeSar(scope: Scope, inOfficeGroup: boolean): boolean {
  return can(scope, 'office.read') || (scope.role === 'supervisor' && scope.personId !== null && inOfficeGroup);
}

/** Whether the scope's person is in one of the office's groups; asked only where it decides something (a supervisor). */
export async function officeGroupMember(db: Db, officeId: string, scope: Scope): Promise<boolean> {
  if (can(scope, 'office.read') || scope.role !== 'supervisor' || scope.personId === null) return false;
  return inAnyGroup(db, officeId, scope.personId);
}
