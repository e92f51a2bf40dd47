// The emulator's local Entra ID as the browser tests configure it (playwright.config.ts starts the
// emulator with these and gives the app the matching AUTH_MICROSOFT_ENTRA_ID_* variables). Test-only
// values: the client secret and the user's password exist for this run's private emulator alone.
export const E2E_ENTRA = {
  tenantId: "00000000-0000-0000-0000-00000000e417",
  /** A GUID, as Entra's application (client) ids are: ACS checks the Teams exchange's app id format. */
  clientId: "4f7d2a91-6c3e-4b8a-9d15-e2e0e2e0c1d1",
  clientSecret: "e2e-only-entra-client-secret",
  user: {
    userPrincipalName: "grace.entra@contoso.test",
    password: "e2e-only-entra-password",
    displayName: "Grace Entra",
  },
} as const;

/** The issuer the app is configured with: the emulator's tenant, over its HTTPS. */
export const entraIssuer = (emulatorPort: number) =>
  `https://127.0.0.1:${emulatorPort}/${E2E_ENTRA.tenantId}/v2.0`;
