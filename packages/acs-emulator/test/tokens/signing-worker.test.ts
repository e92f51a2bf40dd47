// The RS256 signing worker (src/tokens/rs256-signer.ts): its tokens are the thread pool's, byte for
// byte, and verify with the emulator's JWKS and chat API; close waits for pending signatures and
// stops the thread; a worker that fails hands its pending and later signatures to the thread pool.
import { createPrivateKey, createPublicKey, verify } from "node:crypto";
import { ChatClient } from "@azure/communication-chat";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInMemoryKeyMaterial } from "../../src/certs";
import { EMULATOR_DEFAULTS } from "../../src/index";
import { createTokenIssuer } from "../../src/tokens/issuer";
import { createThreadPoolSigner, createWorkerSigner } from "../../src/tokens/rs256-signer";
import { decodeJwt, startTestEmulator, type TestEmulator } from "../support/emulator";

const { signing } = createInMemoryKeyMaterial();
const privateKey = createPrivateKey(signing.privateKeyPem);
const publicKey = createPublicKey(privateKey);
const FAILING_WORKER = new URL("../support/failing-signing-worker.mjs", import.meta.url);

const inputs = (count: number) =>
  Array.from({ length: count }, (_, index) => `header.payload-${index}`);
const isValidSignature = (input: string, signature: Buffer) =>
  verify("sha256", Buffer.from(input), publicKey, signature);

describe("tokens signed by the worker", () => {
  it("are byte-identical to the thread pool's (RS256 is deterministic) and verify with the JWKS", async () => {
    const byWorker = createTokenIssuer(signing, EMULATOR_DEFAULTS.resourceId, { signer: "worker" });
    const byThreadPool = createTokenIssuer(signing, EMULATOR_DEFAULTS.resourceId);
    const input = {
      acsUserId: `8:acs:${EMULATOR_DEFAULTS.resourceId}_worker`,
      scopes: ["chat", "voip"],
      expiresInMinutes: 60,
      tokenGeneration: 2,
      now: new Date(),
    };
    try {
      const [fromWorker, fromThreadPool] = await Promise.all([
        byWorker.issue(input),
        byThreadPool.issue(input),
      ]);
      expect(fromWorker.token).toBe(fromThreadPool.token);
      const { protectedHeader, payload } = await jwtVerify(
        fromWorker.token,
        createLocalJWKSet(await byWorker.jwks()),
        { algorithms: ["RS256"] },
      );
      expect(protectedHeader).toEqual({ alg: "RS256", kid: signing.kid, typ: "JWT" });
      expect(payload).toMatchObject({ skypeid: input.acsUserId.slice(2), acsScope: "chat,voip" });
    } finally {
      await byWorker.close();
      await byThreadPool.close();
    }
  });

  describe("in an emulator started with tokenSigner 'worker'", () => {
    let emulator: TestEmulator;
    beforeAll(async () => {
      emulator = await startTestEmulator({ tokenSigner: "worker" });
    });
    afterAll(async () => {
      await emulator.close();
    });

    it("getToken (SDK, HTTPS) gives tokens the JWKS and the chat API accept, also many at once", async () => {
      const identity = emulator.identityClient();
      const user = await identity.createUser();
      const issued = await Promise.all(
        Array.from({ length: 12 }, () => identity.getToken(user, ["chat", "voip"])),
      );
      const response = await fetch(`${emulator.httpEndpoint}emulator/.well-known/jwks.json`);
      const jwks = createLocalJWKSet(
        (await response.json()) as Parameters<typeof createLocalJWKSet>[0],
      );
      for (const { token } of issued) {
        await expect(jwtVerify(token, jwks, { algorithms: ["RS256"] })).resolves.toBeDefined();
        expect(decodeJwt(token).payload.skypeid).toBe(user.communicationUserId.slice(2));
      }
      const chat = new ChatClient(
        emulator.endpoint,
        new AzureCommunicationTokenCredential(issued[0]?.token ?? ""),
        { tlsOptions: { ca: emulator.caCertPem }, retryOptions: { maxRetries: 0 } },
      );
      const created = await chat.createChatThread({ topic: "signed by the worker" });
      expect(created.chatThread?.topic).toBe("signed by the worker");
    });
  });
});

describe("closing the worker signer", () => {
  it("waits for pending signatures, then stops the worker thread and refuses new work", async () => {
    const signer = createWorkerSigner({
      privateKeyPem: signing.privateKeyPem,
      fallback: createThreadPoolSigner(privateKey),
    });
    expect(signer.workerRunning).toBe(true);
    const batch = inputs(20);
    const signatures = batch.map((input) => signer.sign(input));
    const closed = signer.close();
    const results = await Promise.all(signatures);
    results.forEach((signature, index) => {
      expect(isValidSignature(batch[index] ?? "", signature)).toBe(true);
    });
    await closed;
    expect(signer.workerRunning).toBe(false);
    await expect(signer.sign("late")).rejects.toThrow(/closed/);
  });
});

describe("a failing worker", () => {
  it("that crashes on a batch: its pending signatures and later ones are made on the thread pool", async () => {
    const errors: Error[] = [];
    const signer = createWorkerSigner({
      privateKeyPem: signing.privateKeyPem,
      fallback: createThreadPoolSigner(privateKey),
      onWorkerError: (error) => errors.push(error),
      workerUrl: FAILING_WORKER,
    });
    try {
      const batch = inputs(5);
      const results = await Promise.all(batch.map((input) => signer.sign(input)));
      results.forEach((signature, index) => {
        expect(isValidSignature(batch[index] ?? "", signature)).toBe(true);
      });
      expect(errors.map((error) => error.message)).toEqual(["signing worker crashed on purpose"]);
      const later = await signer.sign("after the crash");
      expect(isValidSignature("after the crash", later)).toBe(true);
      expect(errors).toHaveLength(1);
    } finally {
      await signer.close();
    }
    expect(signer.workerRunning).toBe(false);
  });

  it("that cannot start: signatures are made on the thread pool", async () => {
    const errors: Error[] = [];
    const signer = createWorkerSigner({
      privateKeyPem: signing.privateKeyPem,
      fallback: createThreadPoolSigner(privateKey),
      onWorkerError: (error) => errors.push(error),
      workerUrl: new URL("./no-such-signing-worker.mjs", import.meta.url),
    });
    try {
      const signature = await signer.sign("no worker");
      expect(isValidSignature("no worker", signature)).toBe(true);
      expect(errors).toHaveLength(1);
    } finally {
      await signer.close();
    }
  });
});

describe("the emulator's source under a bundler", () => {
  // `next dev` (Turbopack) bundles the emulator when the app starts it in-process. It reads
  // `new Worker(<not a literal>)` as "any file may be the worker" and pulls in the whole repository,
  // so every page of `npm start` answered 500. The worker is constructed without that pattern.
  it("constructs no worker with `new Worker(...)`", async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const source = new URL("../../src/", import.meta.url);
    const files = (await readdir(source, { recursive: true })).filter((f) => /\.(ts|mjs)$/.test(f));
    const offenders: string[] = [];
    for (const file of files) {
      if (/\bnew\s+Worker\s*\(/.test(await readFile(new URL(file, source), "utf8")))
        offenders.push(file);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
