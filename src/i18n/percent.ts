// The one rule for a share shown as a percentage (digests, the dashboard, campaign pages, exports, reports):
// rounded half up (1/6 → 17%, 1/8 → 13%), never 100% while someone is still missing, and never 0% once someone
// has answered; nothing expected reads 0. Counting itself is one rule too: countedSubject() in
// src/checklists/audience.queries.ts.

/** `part` of `whole` as a percentage with `decimals` places (whole numbers by default). */
export function percent(part: number, whole: number, decimals = 0): number {
  if (whole <= 0 || part <= 0) return 0;
  if (part >= whole) return 100;
  const scale = 10 ** decimals;
  // Integers throughout: (2·100·scale·part + whole) ÷ (2·whole), floored, is half up without float drift.
  const units = Math.floor((200 * scale * part + whole) / (2 * whole));
  return Math.min(100 * scale - 1, Math.max(1, units)) / scale;
}
