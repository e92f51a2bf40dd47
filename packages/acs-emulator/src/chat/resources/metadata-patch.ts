// Metadata updates are merge patches: a null value removes its key, a null patch clears the map.

/** The metadata after `patch`; `undefined` (no patch in the request) keeps `current` as it is. */
export function applyMetadataPatch(
  current: Record<string, string> | undefined,
  patch: Record<string, string | null> | null | undefined,
) {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
