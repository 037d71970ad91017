// "What most schools need" as a ranked list, not a pile of text: each text is cut into clauses (Thai separates them
// with spaces and punctuation), each clause into words with Intl.Segmenter('th'), and every run of 2–6 words is a
// candidate phrase. A phrase counts once per school; a phrase inside a longer one shared by the same schools is
// dropped, so "การวัดผลตามสภาพจริง" wins over "วัดผลตาม". Ranked by schools sharing it, then by length.
const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Words that neither start nor end a phrase. */
const EDGE_WORDS = new Set([
  'และ',
  'ที่',
  'ของ',
  'ใน',
  'ให้',
  'กับ',
  'เพื่อ',
  'โดย',
  'ได้',
  'มี',
  'เป็น',
  'จะ',
  'ควร',
  'ยัง',
  'ต้อง',
  'หรือ',
  'แต่',
  'ๆ',
  'ไม่',
  'the',
  'and',
  'of',
]);

export interface PhraseDoc {
  /** Who wrote under it: the school the text is about. */
  school: string;
  text: string;
}

export interface Phrase {
  phrase: string;
  /** The schools whose texts hold it, in first-seen order. */
  schools: string[];
}

function clauses(text: string): string[][] {
  return text
    .split(/[\s,;:()[\]"'“”‘’•·.!?/\\|–—-]+/u)
    .filter((c) => c !== '')
    .map((c) => [...segmenter.segment(c)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase()));
}

/** The phrases shared by at least `minSchools` schools (default 2), at most `max` of them, most shared first. */
export function commonPhrases(docs: PhraseDoc[], opts: { max?: number; minSchools?: number } = {}): Phrase[] {
  const max = opts.max ?? 10;
  const minSchools = opts.minSchools ?? 2;
  const seen = new Map<string, { schools: Set<string>; words: number; order: number }>();
  let order = 0;
  for (const d of docs) {
    for (const words of clauses(d.text)) {
      for (let i = 0; i < words.length; i++) {
        if (EDGE_WORDS.has(words[i] ?? '')) continue;
        for (let n = 2; n <= 6 && i + n <= words.length; n++) {
          if (EDGE_WORDS.has(words[i + n - 1] ?? '')) continue;
          const phrase = words.slice(i, i + n).join('');
          if (phrase.length < 4) continue;
          const hit = seen.get(phrase) ?? { schools: new Set<string>(), words: n, order: order++ };
          hit.schools.add(d.school);
          seen.set(phrase, hit);
        }
      }
    }
  }
  const shared = [...seen].filter(([, v]) => v.schools.size >= minSchools);
  // Longest first, so a phrase is compared with the longer phrases already kept.
  shared.sort((a, b) => b[1].words - a[1].words || b[0].length - a[0].length);
  const kept: [string, { schools: Set<string>; words: number; order: number }][] = [];
  for (const [p, v] of shared) {
    if (kept.some(([q, w]) => q.includes(p) && w.schools.size === v.schools.size)) continue;
    kept.push([p, v]);
  }
  kept.sort((a, b) => b[1].schools.size - a[1].schools.size || b[0].length - a[0].length || a[1].order - b[1].order);
  return kept.slice(0, max).map(([phrase, v]) => ({ phrase, schools: [...v.schools] }));
}
