// The composer's unsent text per person and thread, kept in sessionStorage (this tab only, gone
// when the tab closes) so leaving a thread and coming back restores it.

type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function draftKey(acsUserId: string, threadId: string): string {
  return `acs-stack:draft:${acsUserId}:${threadId}`;
}

/** Storage can be missing or refuse access (privacy modes, quota): a draft is then not kept. */
export function loadDraft(storage: DraftStorage | undefined, key: string): string {
  try {
    return storage?.getItem(key) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(storage: DraftStorage | undefined, key: string, text: string): void {
  try {
    if (text.trim()) storage?.setItem(key, text);
    else storage?.removeItem(key);
  } catch {
    // Quota or privacy mode: the draft lives only as long as the page.
  }
}

/** The tab's sessionStorage, or undefined where reading it throws (some privacy settings do). */
export function browserDraftStorage(): DraftStorage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}
