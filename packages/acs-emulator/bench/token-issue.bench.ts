// Token issue throughput (CommunicationIdentityClient.getToken over HTTPS: POST
// /identities/{id}/:issueAccessToken, HMAC-signed by the SDK) against the emulator, in the same run
// as two bare node https servers answering the same request shape:
// - the fair baseline makes one RS256 signature per request, with a key of the emulator's size;
// - the old one answers a fixed token and signs nothing (a bound no token issuer can reach).
import https from "node:https";
import type { JsonWebKey } from "node:crypto";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { startEmulator, type RunningEmulator } from "../src/index";
import { compare, compareWithBaselines, startBareServer } from "./baseline";
import { createBaselineTokenSigner, modulusLengthOf } from "./rs256-baseline";

const OPTIONS = { rounds: 5, count: 150, concurrency: 4, warmup: 50 };
/** Short paired rounds: the goal ratio should not hinge on one burst of load from elsewhere. */
const TOKEN_OPTIONS = { rounds: 11, count: 100, concurrency: 4, warmup: 100 };

function getJwks(emulator: RunningEmulator): Promise<{ keys: JsonWebKey[] }> {
  return new Promise((resolve, reject) => {
    https
      .get(
        new URL("emulator/.well-known/jwks.json", emulator.endpoint),
        { ca: emulator.caCertPem },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as { keys: JsonWebKey[] });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      )
      .on("error", reject);
  });
}

export default async function tokenIssueBench(): Promise<void> {
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const workerEmulator = await startEmulator({
    port: 0,
    inMemory: true,
    logLevel: "silent",
    tokenSigner: "worker",
  });
  const workerClient = new CommunicationIdentityClient(workerEmulator.connectionString, {
    tlsOptions: { ca: workerEmulator.caCertPem },
  });
  const workerUser = await workerClient.createUser();
  const accessKey = emulator.connectionString.split(";accesskey=")[1] ?? "";
  const client = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
  });
  const user = await client.createUser();
  const sample = await client.getToken(user, ["chat", "voip"]);
  const sampleClaims = JSON.parse(
    Buffer.from(sample.token.split(".")[1] ?? "", "base64url").toString("utf8"),
  ) as Record<string, unknown>;
  const modulusLength = modulusLengthOf(await getJwks(emulator));
  const signToken = createBaselineTokenSigner(modulusLength);

  const created = { status: 201, body: { identity: { id: user.communicationUserId } } };
  const bare = await startBareServer((_method, url) =>
    url.startsWith("/identities?")
      ? created
      : { status: 200, body: { token: sample.token, expiresOn: sample.expiresOn.toISOString() } },
  );
  const signing = await startBareServer(async (_method, url) =>
    url.startsWith("/identities?") ? created : { status: 200, body: await signToken(sampleClaims) },
  );
  const clientOf = (server: { endpoint: string; caCertPem: string }) =>
    new CommunicationIdentityClient(`endpoint=${server.endpoint};accesskey=${accessKey}`, {
      tlsOptions: { ca: server.caCertPem },
    });
  const bareClient = clientOf(bare);
  const signingClient = clientOf(signing);

  const baselines = [
    {
      label: `fair baseline, bare https + one RS256 signature (RSA-${modulusLength}; goal ≥ 60%)`,
      operation: () => signingClient.getToken(user, ["chat", "voip"]),
    },
    {
      label: "old baseline, bare https signing nothing",
      operation: () => bareClient.getToken(user, ["chat", "voip"]),
    },
  ];

  try {
    await compareWithBaselines(
      "token issue (getToken), signing on the thread pool",
      () => client.getToken(user, ["chat", "voip"]),
      baselines,
      TOKEN_OPTIONS,
    );
    await compareWithBaselines(
      "token issue (getToken), signing worker",
      () => workerClient.getToken(workerUser, ["chat", "voip"]),
      baselines,
      TOKEN_OPTIONS,
    );
    // Context: the same transport + HMAC path without an RSA signature per request.
    await compare(
      "createUser, no token, in memory",
      () => client.createUser(),
      () => bareClient.createUser(),
      OPTIONS,
    );
  } finally {
    await bare.close();
    await signing.close();
    await emulator.close();
    await workerEmulator.close();
  }
}
