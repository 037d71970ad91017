// What each committed menu image was drawn from (labels, icons, layout, colour). The image script writes it next
// to the PNGs; a test compares it with the definitions, so changing a label without re-rendering fails in CI
// (which has no Thai font to render with).
import { layout, MENUS } from './definitions.js';

export function imageManifest(): Record<string, string[]> {
  return Object.fromEntries(
    MENUS.map((def) => [
      def.role,
      [
        `accent ${def.accent}`,
        ...layout(def).map((t) => {
          const b = t.bounds;
          return `${b.x},${b.y} ${b.width}×${b.height} ${t.icon} ${t.th} / ${t.en}`;
        }),
      ],
    ]),
  );
}
