// Token issue throughput (CommunicationIdentityClient.getToken over HTTPS) against the emulator vs a
// bare node https server answering the same request shape with a fixed token, in the same run.
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { startEmulator } from "../src/index";
import { measure, report, startBareServer } from "./baseline";

const COUNT = 400;
const WARMUP = 50;
const CONCURRENCY = 4;

export default async function tokenIssueBench(): Promise<void> {
  const emulator = await startEmulator({ port: 0, inMemory: true, logLevel: "silent" });
  const accessKey = emulator.connectionString.split(";accesskey=")[1] ?? "";
  const client = new CommunicationIdentityClient(emulator.connectionString, { tlsOptions: { ca: emulator.caCertPem } });
  const user = await client.createUser();
  const sample = await client.getToken(user, ["chat", "voip"]);

  const bare = await startBareServer(() => ({
    status: 200,
    body: { token: sample.token, expiresOn: sample.expiresOn.toISOString() },
  }));
  const bareClient = new CommunicationIdentityClient(`endpoint=${bare.endpoint};accesskey=${accessKey}`, {
    tlsOptions: { ca: bare.caCertPem },
  });

  try {
    const issueOnEmulator = () => client.getToken(user, ["chat", "voip"]);
    const issueOnBare = () => bareClient.getToken(user, ["chat", "voip"]);
    await measure(WARMUP, CONCURRENCY, issueOnEmulator);
    await measure(WARMUP, CONCURRENCY, issueOnBare);
    // Interleave two rounds so drift on a shared machine hits both sides alike.
    const emulatorRuns = [await measure(COUNT, CONCURRENCY, issueOnEmulator)];
    const bareRuns = [await measure(COUNT, CONCURRENCY, issueOnBare)];
    bareRuns.push(await measure(COUNT, CONCURRENCY, issueOnBare));
    emulatorRuns.push(await measure(COUNT, CONCURRENCY, issueOnEmulator));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    report(`token issue (getToken, ${COUNT}×2 requests, concurrency ${CONCURRENCY})`, mean(emulatorRuns), mean(bareRuns));
  } finally {
    await bare.close();
    await emulator.close();
  }
}
