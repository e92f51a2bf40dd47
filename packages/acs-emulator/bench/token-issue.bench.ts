// Token issue throughput (CommunicationIdentityClient.getToken over HTTPS) against the emulator vs a
// bare node https server answering the same request shape with a fixed token, in the same run.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { startEmulator } from "../src/index";
import { compare, startBareServer } from "./baseline";

const OPTIONS = { rounds: 5, count: 150, concurrency: 4, warmup: 50 };

export default async function tokenIssueBench(): Promise<void> {
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const accessKey = emulator.connectionString.split(";accesskey=")[1] ?? "";
  const client = new CommunicationIdentityClient(emulator.connectionString, {
    tlsOptions: { ca: emulator.caCertPem },
  });
  const user = await client.createUser();
  const sample = await client.getToken(user, ["chat", "voip"]);

  const bare = await startBareServer((_method, url) =>
    url.startsWith("/identities?")
      ? { status: 201, body: { identity: { id: user.communicationUserId } } }
      : { status: 200, body: { token: sample.token, expiresOn: sample.expiresOn.toISOString() } },
  );
  const bareClient = new CommunicationIdentityClient(
    `endpoint=${bare.endpoint};accesskey=${accessKey}`,
    {
      tlsOptions: { ca: bare.caCertPem },
    },
  );

  try {
    await compare(
      "token issue (getToken)",
      () => client.getToken(user, ["chat", "voip"]),
      () => bareClient.getToken(user, ["chat", "voip"]),
      OPTIONS,
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
    await emulator.close();
  }
}
