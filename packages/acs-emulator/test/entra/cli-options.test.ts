// `--entra-principal <clientId>:<clientSecret>` / `--entra-tenant`: parsing (pure), then the CLI
// itself: a bad value exits 2 with the message and prints no JSON line; a good one adds
// `entra: { authorityHost, tenantId }` to the `--json` line, and that authority answers.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { decodeJwt } from "jose";

import { ENTRA_DEFAULTS, EntraCliOptionError, parseEntraCliOptions } from "../../src/entra";
import { flowOf } from "./sign-in-client";

const bin = fileURLToPath(new URL("../../bin/acs-emulator.mjs", import.meta.url));

function parseError(values: Parameters<typeof parseEntraCliOptions>[0]): EntraCliOptionError {
  try {
    parseEntraCliOptions(values);
  } catch (error) {
    expect(error).toBeInstanceOf(EntraCliOptionError);
    return error as EntraCliOptionError;
  }
  throw new Error("expected an EntraCliOptionError");
}

describe("parseEntraCliOptions", () => {
  it("defines nothing without --entra-principal", () => {
    expect(parseEntraCliOptions({})).toBeUndefined();
    expect(parseEntraCliOptions({ principals: [] })).toBeUndefined();
  });

  it("makes granted service principals in the default tenant; the secret may contain ':'", () => {
    expect(
      parseEntraCliOptions({ principals: ["app-one:s3cret", "0b6f4c1e-app.two:a:b~c"] }),
    ).toEqual({
      principals: [
        {
          tenantId: ENTRA_DEFAULTS.tenantId,
          clientId: "app-one",
          clientSecret: "s3cret",
          grantedAcsAccess: true,
        },
        {
          tenantId: ENTRA_DEFAULTS.tenantId,
          clientId: "0b6f4c1e-app.two",
          clientSecret: "a:b~c",
          grantedAcsAccess: true,
        },
      ],
    });
  });

  it("puts every principal in --entra-tenant (a GUID or a domain)", () => {
    for (const tenant of ["7d3c1f2a-0000-4000-8000-00000000a11e", "contoso.onmicrosoft.com"]) {
      const options = parseEntraCliOptions({ principals: ["a:1", "b:2"], tenant });
      expect(options?.principals?.map((p) => p.tenantId)).toEqual([tenant, tenant]);
    }
  });

  it("writes the tenant in lower case, as MSAL calls the authority", () => {
    const tenant = "7D3C1F2A-0000-4000-8000-00000000A11E";
    expect(parseEntraCliOptions({ principals: ["a:1"], tenant })?.principals?.[0]?.tenantId).toBe(
      tenant.toLowerCase(),
    );
  });

  it("refuses a value without ':' and never repeats it (it may be a secret)", () => {
    const error = parseError({ principals: ["ok:1", "only-a-secret-Xy9"] });
    expect(error.message).toBe(
      "--entra-principal #2 must be <clientId>:<clientSecret> (no ':' found; the value is not repeated here in case it is a secret).",
    );
    expect(error.message).not.toContain("only-a-secret-Xy9");
  });

  it("refuses an empty client id or secret, a malformed client id, a duplicate", () => {
    expect(parseError({ principals: [":secret-Q1"] }).message).toMatch(
      /#1 must be <clientId>:<clientSecret>: the client id before ':' is empty/,
    );
    expect(parseError({ principals: ["app:"] }).message).toMatch(/the secret of 'app' .* is empty/);
    const spaced = parseError({ principals: ["my app:secret-Q1"] });
    expect(spaced.message).toMatch(/client id 'my app' must be 1-128 letters/);
    expect(spaced.message).not.toContain("secret-Q1");
    expect(parseError({ principals: ["app:1", "APP:2"] }).message).toMatch(
      /client id 'APP' is given twice/,
    );
  });

  it("refuses a malformed tenant, a multi-tenant alias, and a tenant without principals", () => {
    expect(parseError({ principals: ["a:1"], tenant: "not/a tenant" }).message).toMatch(
      /^--entra-tenant must be a tenant id .* got 'not\/a tenant'\.$/,
    );
    expect(parseError({ principals: ["a:1"], tenant: "common" }).message).toMatch(
      /'common' is a multi-tenant alias/,
    );
    expect(parseError({ tenant: "contoso.onmicrosoft.com" }).message).toMatch(
      /--entra-tenant needs at least one --entra-principal/,
    );
  });
});

describe("parseEntraCliOptions: --entra-user and --entra-redirect-uri", () => {
  const principals = ["web-app:web-secret"];

  it("makes users (display name optional, may contain ':') and keeps redirect URIs", () => {
    const options = parseEntraCliOptions({
      principals,
      users: [
        "ada@contoso.onmicrosoft.com:pw-1",
        "grace@contoso.onmicrosoft.com:pw-2:Grace: Admiral",
      ],
      redirectUris: ["https://app.example/api/auth/callback/microsoft-entra-id"],
    });
    expect(options?.users).toEqual([
      { userPrincipalName: "ada@contoso.onmicrosoft.com", password: "pw-1" },
      {
        userPrincipalName: "grace@contoso.onmicrosoft.com",
        password: "pw-2",
        displayName: "Grace: Admiral",
      },
    ]);
    expect(options?.redirectUris).toEqual([
      "https://app.example/api/auth/callback/microsoft-entra-id",
    ]);
  });

  it.each([
    [
      ["no-colon-Pw9"],
      /--entra-user #1 must be <upn>:<password>\[:<display name>\] \(no ':' found/,
    ],
    [[":Pw9"], /the user principal name before ':' is empty/],
    [["not-an-upn:Pw9"], /'not-an-upn' is not a user principal name/],
    [["ada@contoso.example:"], /the password of 'ada@contoso.example' is empty/],
    [["ada@contoso.example:Pw9", "ADA@contoso.example:Pw9"], /is given twice/],
  ])("refuses %j without repeating the password", (users, message) => {
    const error = parseError({ principals, users });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("Pw9");
  });

  it("refuses a redirect URI that is not absolute http(s) without a fragment", () => {
    for (const uri of ["/callback", "javascript:alert(1)", "https://app.example/cb#x"]) {
      expect(parseError({ principals, redirectUris: [uri] }).message).toMatch(
        /--entra-redirect-uri .* must be an absolute http\(s\) URI/,
      );
    }
  });

  it("needs a principal for users and redirect URIs (the application they sign in to)", () => {
    expect(parseError({ users: ["ada@contoso.example:pw"] }).message).toMatch(
      /--entra-user needs at least one --entra-principal/,
    );
    expect(parseError({ redirectUris: ["https://app.example/cb"] }).message).toMatch(
      /--entra-redirect-uri needs at least one --entra-principal/,
    );
  });
});

/** Runs the CLI until its first stdout line (or its exit); returns both and the child. */
async function runCli(args: string[]) {
  const child = spawn(process.execPath, [bin, "start", "--port", "0", "--in-memory", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // "close", not "exit": stderr is then read to its end.
  const exited = once(child, "close") as Promise<[number | null]>;
  const firstLine = once(createInterface({ input: child.stdout }), "line") as Promise<[string]>;
  const first = await Promise.race([
    firstLine.then(([line]) => ({ line })),
    exited.then(([code]) => ({ code })),
  ]);
  return { first, child, exited, stderr: () => stderr };
}

describe("acs-emulator start --entra-principal", () => {
  it("exits 2 on a malformed principal with the message and the usage, and prints no JSON", async () => {
    const run = await runCli(["--json", "--entra-principal", "no-colon-secret-Zq"]);
    const [code] = await run.exited;
    expect(run.first).toEqual({ code: 2 });
    expect(code).toBe(2);
    expect(run.stderr()).toContain(
      "acs-emulator: --entra-principal #1 must be <clientId>:<clientSecret>",
    );
    expect(run.stderr()).toContain("--entra-principal ID:SECRET");
    expect(run.stderr()).not.toContain("no-colon-secret-Zq");
  });

  it("adds entra { authorityHost, tenantId } to the one JSON line, and that authority answers", async () => {
    const tenant = "contoso.onmicrosoft.com";
    const run = await runCli([
      "--json",
      "--log-level",
      "silent",
      "--entra-principal",
      "cli-app:cli-secret-8K",
      "--entra-tenant",
      tenant,
    ]);
    try {
      expect(run.first).toHaveProperty("line");
      const info = JSON.parse((run.first as { line: string }).line) as {
        endpoint: string;
        entra: { authorityHost: string; tenantId: string };
      };
      expect(Object.keys(info).sort()).toEqual([
        "caCertPath",
        "connectionString",
        "dataDir",
        "endpoint",
        "entra",
      ]);
      expect(info.entra).toEqual({
        authorityHost: info.endpoint.replace(/\/$/, ""),
        tenantId: tenant,
      });
      expect(JSON.stringify(info)).not.toContain("cli-secret-8K");
      // The authority MSAL builds from it: <authorityHost>/<tenantId>/… (plain HTTP side of the port).
      const authority = `${info.entra.authorityHost.replace("https://", "http://")}/${tenant}`;
      const token = await fetch(`${authority}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "cli-app",
          client_secret: "cli-secret-8K",
          scope: "https://communication.azure.com//.default",
        }),
      });
      expect(token.status).toBe(200);
    } finally {
      run.child.kill("SIGTERM");
      const [code] = await run.exited;
      expect(code).toBe(0);
    }
  });
});

describe("acs-emulator start --entra-user", () => {
  it("exits 2 on a malformed user without repeating the password", async () => {
    const run = await runCli([
      "--json",
      "--entra-principal",
      "web-app:web-secret",
      "--entra-user",
      "not-an-upn:Secret-Pw-7x",
    ]);
    const [code] = await run.exited;
    expect(run.first).toEqual({ code: 2 });
    expect(code).toBe(2);
    expect(run.stderr()).toContain("--entra-user #1: 'not-an-upn' is not a user principal name");
    expect(run.stderr()).toContain("--entra-user UPN:PASSWORD[:DISPLAY NAME]");
    expect(run.stderr()).not.toContain("Secret-Pw-7x");
  });

  it("signs a command-line user in to a command-line principal", async () => {
    const run = await runCli([
      "--json",
      "--log-level",
      "silent",
      "--entra-principal",
      "web-app:web-secret",
      "--entra-user",
      "ada@contoso.onmicrosoft.com:Pw-3:Ada Lovelace",
      "--entra-redirect-uri",
      "https://app.example/cb",
    ]);
    try {
      const info = JSON.parse((run.first as { line: string }).line) as {
        entra: { authorityHost: string; tenantId: string };
      };
      // The plain-HTTP side of the port (no CA needed here); the flow over HTTPS is sign-in.test.ts.
      const authority = `${info.entra.authorityHost.replace("https://", "http://")}/${info.entra.tenantId}`;
      const query = new URLSearchParams({
        client_id: "web-app",
        redirect_uri: "https://app.example/cb",
        response_type: "code",
        scope: "openid profile",
      });
      const form = await fetch(`${authority}/oauth2/v2.0/authorize?${query.toString()}`);
      expect(form.status).toBe(200);
      const flow = flowOf(await form.text());
      const answer = await fetch(`${authority}/oauth2/v2.0/authorize`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          flow,
          username: "ada@contoso.onmicrosoft.com",
          password: "Pw-3",
        }),
      });
      expect(answer.status).toBe(302);
      const code = new URL(answer.headers.get("location") ?? "").searchParams.get("code") ?? "";
      const token = await fetch(`${authority}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: "https://app.example/cb",
          client_id: "web-app",
          client_secret: "web-secret",
        }),
      });
      expect(token.status).toBe(200);
      const idToken = ((await token.json()) as { id_token: string }).id_token;
      expect(decodeJwt(idToken)).toMatchObject({
        name: "Ada Lovelace",
        preferred_username: "ada@contoso.onmicrosoft.com",
        tid: info.entra.tenantId,
      });
    } finally {
      run.child.kill("SIGTERM");
      const [code] = await run.exited;
      expect(code).toBe(0);
    }
  });
});
