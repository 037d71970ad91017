// Each role's main actions under its menu as quick replies: LINE on PC and the simulator show no rich menu, so the
// menu message carries them, and every one sends a word the conversation understands typed (the visit words,
// src/conversation/read-actions.ts's reads, `เข้าเว็บ` / `รายงาน`). The common actions follow for everyone.
import type { Role } from '../db/schema.js';
import { th } from '../i18n/th.js';
import { postbackData, type QuickReplyItem, quickPostback, quickText } from '../line/messages.js';
import { msg } from '../i18n/msg.js';

const w = th.roleWords;

/** A role's own words, its most used first. */
export const ROLE_WORDS: Record<Role, readonly string[]> = {
  teacher: [],
  principal: [w.overdue, w.actions, w.week],
  supervisor: [w.planVisit, w.visits, w.record, w.sarSchool, w.actions, w.overdue, w.week, w.web],
  director: [w.sar, w.below, w.overdue, w.week, w.reports, w.web],
  admin: [w.web],
  committee: [],
};

/** Words a role may type that are not menu buttons (they answer a message, or the menu has no room for them). */
const HELP_ONLY: Partial<Record<Role, readonly string[]>> = {
  principal: ['รับทราบ'],
  committee: [w.web],
};

/** `ช่วยเหลือ`: the words anyone may type, then only the person's own role's. */
export function helpText(role: Role | undefined): string {
  return role === undefined ? th.help([]) : th.help(ROLE_WORDS[role], HELP_ONLY[role]);
}

/** The menu's quick replies for a role (at most 13, LINE's limit). */
export function menuQuickReplies(role: Role | undefined): QuickReplyItem[] {
  return [
    ...(role === undefined ? [] : ROLE_WORDS[role]).map((word) => quickText(word)),
    quickPostback(msg.checklist.menuChecklists, postbackData('list'), msg.checklist.menuChecklists),
    quickText(th.quick.status),
    quickPostback(th.quick.settings, postbackData('settings'), th.quick.settings),
    quickText(th.quick.help),
  ];
}
