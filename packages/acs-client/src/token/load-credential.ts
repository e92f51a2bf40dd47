// The token credential's code (scheduler, cross-tab sharing) loaded on demand: a page needs it only
// after hydration, when the provider's effect creates the credential, so it stays out of the page's
// initial JavaScript (apps/web bench, "Initial JavaScript"). A failed chunk load rejects; the caller
// reports it.
import type { AcsTokenCredential, AcsTokenCredentialOptions } from "./types";

export async function loadTokenCredential(
  options: AcsTokenCredentialOptions,
): Promise<AcsTokenCredential> {
  const { createAcsTokenCredential } = await import("./credential");
  return createAcsTokenCredential(options);
}
