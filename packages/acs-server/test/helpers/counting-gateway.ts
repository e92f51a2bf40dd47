// Wraps a real gateway and records the identities it created and deleted (no behaviour changed).
import type { IdentityGateway } from "../../src/control-plane/identity-gateway";

export interface CountingGateway extends IdentityGateway {
  readonly created: string[];
  readonly deleted: string[];
}

export function countingGateway(inner: IdentityGateway): CountingGateway {
  const created: string[] = [];
  const deleted: string[] = [];
  return {
    model: inner.model,
    endpoint: inner.endpoint,
    emulator: inner.emulator,
    created,
    deleted,
    async createUser() {
      const result = await inner.createUser();
      created.push(result.acsUserId);
      return result;
    },
    issueToken: (id, scopes, minutes) => inner.issueToken(id, scopes, minutes),
    revokeTokens: (id) => inner.revokeTokens(id),
    async deleteUser(id) {
      await inner.deleteUser(id);
      deleted.push(id);
    },
    exchangeTeamsUserToken: (request) => inner.exchangeTeamsUserToken(request),
    close: () => inner.close(),
  };
}
