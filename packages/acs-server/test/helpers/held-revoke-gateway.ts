// Wraps a real gateway so a test can hold one revoke open right after ACS revoked (the moment a racing
// issue would slip through), then let it finish. Everything else passes through unchanged.
import type { IdentityGateway } from "../../src/control-plane/identity-gateway";

export interface HeldRevoke {
  /** Resolves once ACS has revoked and the revoke is held. */
  readonly revokedAtAcs: Promise<void>;
  /** Lets the held revoke go on (record the revocation, answer). */
  release(): void;
}

export interface HoldingGateway extends IdentityGateway {
  /** Holds the next revokeTokens call after ACS answered it, until `release()`. */
  holdNextRevoke(): HeldRevoke;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export function holdingGateway(inner: IdentityGateway): HoldingGateway {
  let next: { revoked: () => void; released: Promise<void> } | undefined;
  return {
    model: inner.model,
    endpoint: inner.endpoint,
    emulator: inner.emulator,
    createUser: () => inner.createUser(),
    issueToken: (id, scopes, minutes) => inner.issueToken(id, scopes, minutes),
    async revokeTokens(id) {
      const held = next;
      next = undefined;
      await inner.revokeTokens(id);
      if (held) {
        held.revoked();
        await held.released;
      }
    },
    deleteUser: (id) => inner.deleteUser(id),
    exchangeTeamsUserToken: (request) => inner.exchangeTeamsUserToken(request),
    close: () => inner.close(),
    holdNextRevoke() {
      const revokedAtAcs = deferred();
      const released = deferred();
      next = { revoked: revokedAtAcs.resolve, released: released.promise };
      return { revokedAtAcs: revokedAtAcs.promise, release: () => released.resolve() };
    },
  };
}
