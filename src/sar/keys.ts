// The SAR's item keys, one grammar for every reader (the synthesis, the digests' below-target names, the
// supervisor's school page): a standard is a heading note `sN`; beside it the calculated `sN_level`, the school's
// `sN_target` and the flag `sN_below_target`. A checklist is a SAR when it has any `sN_below_target` item.

/** A standard's heading note: `s1`, `s2`, … (the number captured). */
export const SAR_STANDARD = /^s(\d+)$/;

/** The keys that belong to standard `std` (a heading note's key, `s1`). */
export const sarKey = {
  level: (std: string) => `${std}_level`,
  target: (std: string) => `${std}_target`,
};

/** For SQL's `~`: an item key that flags a standard below its target. */
export const SAR_BELOW_TARGET_PATTERN = '^s[0-9]+_below_target$';

/** For SQL's `substring(… FROM …)`: the standard (`s1`) a `sN_…` key belongs to. */
export const SAR_STANDARD_OF_KEY_PATTERN = '^(s[0-9]+)_';
