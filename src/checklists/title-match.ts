// Typed words of a checklist's title ("สำรวจความต้องการ", "แบบสำรวจ SAR ค่ะ") find the open checklists whose title
// holds them (LINE on PC has no list to tap). Normalised as every command is, with the one particle stripper.
import { commandKey, isParticle, particleForms } from '../conversation/normalize.js';

/** Fewer characters than this match too much ("ครู" is in half the titles) and are more often a stray reply. */
export const MIN_TITLE_WORDS = 4;

const squash = (s: string) => commandKey(s).replace(/\s+/g, '');
/** A word that is only particles ("นะคะ"): said, not searched for. */
const particlesOnly = (w: string) => isParticle(particleForms(w).at(-1) ?? w);

/**
 * The checklists whose title holds every typed word (spaces in either ignored, particle-only words dropped), trying
 * the text, then each shorter form with a trailing particle stripped; none for a number or text shorter than
 * MIN_TITLE_WORDS.
 */
export function byTitleWords<T extends { title: string }>(text: string, open: readonly T[]): T[] {
  const titles = open.map((c) => ({ c, key: squash(c.title) }));
  for (const form of particleForms(commandKey(text))) {
    const words = form.split(/\s+/).filter((w) => w !== '' && !particlesOnly(w));
    const joined = words.join('');
    if ([...joined].length < MIN_TITLE_WORDS || /^\d+$/.test(joined)) continue;
    const hits = titles.filter((t) => words.every((w) => t.key.includes(w))).map((t) => t.c);
    if (hits.length > 0) return hits;
  }
  return [];
}
