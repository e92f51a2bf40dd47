// Initials avatars: a stable colour per person (a hash of the ACS user id picks from a palette in
// which white text meets WCAG AA, 4.5:1) and up to two initials from the name.

/** Backgrounds for white text, each at least 4.5:1 against #fff (avatar.test.ts checks). */
export const AVATAR_PALETTE = [
  "#1f5fbf",
  "#0b7285",
  "#2b7a3d",
  "#8a5a00",
  "#b02a37",
  "#a6316f",
  "#6741d9",
  "#5c5f66",
  "#c2410c",
  "#3b5bdb",
] as const;

/** FNV-1a (32 bit): cheap, stable across sessions and browsers. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function avatarColour(acsUserId: string): string {
  return AVATAR_PALETTE[hash(acsUserId) % AVATAR_PALETTE.length]!;
}

/** "Ada Lovelace" → "AL", "ada" → "A", "" → "?"; whole characters (emoji, accents) kept intact. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return "?";
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const initial = (word: string) => (Array.from(word)[0] ?? "").toLocaleUpperCase();
  return initial(first) + (last ? initial(last) : "");
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
