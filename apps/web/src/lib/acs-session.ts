// The browser's live ACS objects (token credential, chat sessions) register a disposer here, so
// signing out stops them before the session cookie is gone.
const disposers = new Set<() => void>();

export function onAcsSessionDispose(dispose: () => void): () => void {
  disposers.add(dispose);
  return () => disposers.delete(dispose);
}

export function disposeAcsSession(): void {
  for (const dispose of [...disposers]) {
    disposers.delete(dispose);
    try {
      dispose();
    } catch (error) {
      console.error(error);
    }
  }
}
