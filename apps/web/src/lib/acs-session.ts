// Browser-side bookkeeping around the live ACS objects: disposers run on sign-out, and the chat
// page reports messages that are not delivered yet, so a forced sign-out can hand them over.
const disposers = new Set<() => void>();
const unsentSources = new Set<() => string[]>();
/** Where a forced sign-out keeps the undelivered messages (read by public/unsent-notice.js). */
export const UNSENT_KEY = "acs-stack:unsent";

export function onAcsSessionDispose(dispose: () => void): () => void {
  disposers.add(dispose);
  return () => disposers.delete(dispose);
}

let signingOut = false;

/** True once this tab started signing out on purpose: a "revoked" status is then expected. */
export function isSigningOut(): boolean {
  return signingOut;
}

/** Called when this tab signs out (any kind): stops the ACS objects first. */
export function disposeAcsSession(): void {
  signingOut = true;
  for (const dispose of [...disposers]) {
    disposers.delete(dispose);
    try {
      dispose();
    } catch (error) {
      console.error(error);
    }
  }
}

/** A page with an outbox registers how to list its undelivered messages. */
export function registerUnsentSource(list: () => string[]): () => void {
  unsentSources.add(list);
  return () => unsentSources.delete(list);
}

/** Keeps the undelivered messages for the sign-in page (this tab only) and returns how many. */
export function stashUnsentMessages(): number {
  const texts = [...unsentSources].flatMap((list) => list());
  if (texts.length > 0) sessionStorage.setItem(UNSENT_KEY, JSON.stringify(texts));
  return texts.length;
}
