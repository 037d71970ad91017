// Invite codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I), shown once and stored hashed.
// 32^8 ≈ 1.1e12 codes; with at most 5 wrong tries per 30 minutes per LINE user, guessing is not a way in.

export const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** A code as people type it ("k7m2-q9xp", "K7M2 Q9XP", Thai digits already folded) → canonical, or null. */
function wholeCode(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s\-_.]/g, '');
  if (compact.length !== CODE_LENGTH) return null;
  for (const ch of compact) if (!INVITE_ALPHABET.includes(ch)) return null;
  return compact;
}

/** Four and four Latin letters or digits, apart from other Latin letters and digits (Thai around is fine). */
const CODE_IN_SENTENCE = /(?<![A-Za-z0-9])[A-Za-z0-9]{4}[\s\-_.]?[A-Za-z0-9]{4}(?![A-Za-z0-9])/g;

/**
 * The invite code a text is, or names inside a sentence ("รหัส g6d8-u7m2 ค่ะ") → canonical, or null. Inside a
 * sentence it must hold a digit or be written as printed (four, a hyphen, four), so two English words ("menu test")
 * are not read as a wrong code; about one code in ten has no digit (24/32 letters per place, to the 8th power).
 */
export function canonicalInviteCode(text: string): string | null {
  const whole = wholeCode(text);
  if (whole !== null) return whole;
  // In a sentence a code is eight Latin letters or digits: a shorter text (most answers: "4", "ใช่") holds none,
  // and matchAll would copy the pattern to find that out.
  if (text.length < CODE_LENGTH) return null;
  for (const [m] of text.matchAll(CODE_IN_SENTENCE)) {
    const code = /[0-9]/.test(m) || /^[A-Za-z]{4}-[A-Za-z]{4}$/.test(m) ? wholeCode(m) : null;
    if (code !== null) return code;
  }
  return null;
}

export function generateInviteCode(randomBytes: (n: number) => Uint8Array = defaultRandom): string {
  // 256 is a multiple of 32, so `byte % 32` is unbiased.
  const bytes = randomBytes(CODE_LENGTH);
  let out = '';
  for (const b of bytes) out += INVITE_ALPHABET[b % INVITE_ALPHABET.length];
  return out;
}

function defaultRandom(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Shown to admins as "K7M2-Q9XP": easier to read aloud and type. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export async function hashInviteCode(canonical: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`nithet-invite:${canonical}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
