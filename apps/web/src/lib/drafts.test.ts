import { describe, expect, it } from "vitest";
import { draftKey, loadDraft, saveDraft } from "./drafts";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe("drafts", () => {
  it("keeps one draft per person and thread", () => {
    const storage = memoryStorage();
    saveDraft(storage, draftKey("ada", "t1"), "half a thought");
    saveDraft(storage, draftKey("ada", "t2"), "other thread");
    expect(loadDraft(storage, draftKey("ada", "t1"))).toBe("half a thought");
    expect(loadDraft(storage, draftKey("ada", "t2"))).toBe("other thread");
    expect(loadDraft(storage, draftKey("bob", "t1"))).toBe("");
  });

  it("forgets a draft that is emptied (sent or erased)", () => {
    const storage = memoryStorage();
    saveDraft(storage, draftKey("ada", "t1"), "text");
    saveDraft(storage, draftKey("ada", "t1"), "  ");
    expect(storage.map.size).toBe(0);
  });

  it("works without storage, or with storage that refuses access", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    expect(() => saveDraft(refusing, "k", "text")).not.toThrow();
    expect(loadDraft(refusing, "k")).toBe("");
    expect(loadDraft(undefined, "k")).toBe("");
  });
});
