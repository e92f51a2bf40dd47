import { describe, expect, it } from "vitest";
import { AVATAR_PALETTE, avatarColour, contrastRatio, initialsOf } from "./avatar";

describe("avatarColour", () => {
  const ids = Array.from({ length: 200 }, (_, i) => `8:acs:resource_${i.toString(16)}-user-${i}`);

  it("gives one person the same colour every time", () => {
    expect(avatarColour(ids[0]!)).toBe(avatarColour(ids[0]!));
    // Pinned: a change of hash would change everyone's colour between versions.
    expect(avatarColour("8:acs:ada")).toBe("#2b7a3d");
    expect(avatarColour("8:acs:bob")).toBe("#8a5a00");
  });

  it("spreads people over the palette", () => {
    const used = new Set(ids.map(avatarColour));
    expect(used.size).toBe(AVATAR_PALETTE.length);
  });

  it("keeps white initials at AA contrast on every colour", () => {
    for (const colour of AVATAR_PALETTE) {
      expect(contrastRatio(colour, "#ffffff"), colour).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
  });
});

describe("initialsOf", () => {
  it("takes the first letters of the first and last words", () => {
    expect(initialsOf("Ada Lovelace")).toBe("AL");
    expect(initialsOf("  grace   brewster murray hopper ")).toBe("GH");
    expect(initialsOf("ada")).toBe("A");
    expect(initialsOf("")).toBe("?");
    expect(initialsOf("   ")).toBe("?");
  });
  it("keeps whole characters", () => {
    expect(initialsOf("😀 Smile")).toBe("😀S");
    expect(initialsOf("élodie Ünal")).toBe("ÉÜ");
  });
});
