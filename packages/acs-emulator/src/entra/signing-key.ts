// Where the local Entra ID's RS256 key comes from. With a data dir it lives in
// `entra-signing-key.pem` (0600, like the emulator's other keys in src/certs.ts), so access tokens
// issued before a restart still verify after it; in memory each emulator makes a fresh one.
import { createPrivateKey, generateKeyPair, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";

import { openPrivateFile, restrictToOwner } from "../persistence/private-files";

export const ENTRA_SIGNING_KEY_FILE = "entra-signing-key.pem";

/** Yields the private signing key; called once, on the first token or JWKS request. */
export type EntraSigningKeySource = () => Promise<KeyObject>;

/** A new key per emulator, never written anywhere. */
export function inMemoryEntraSigningKey(): EntraSigningKeySource {
  return async () => createPrivateKey(await newPrivateKeyPem());
}

/**
 * The key kept in `dataDir`. An existing file is read and checked now, so a damaged one fails the
 * start with a clear message instead of the first token request; a missing one is created when first
 * needed (most runs never use Entra ID) and is on disk before any token signed with it leaves.
 */
export async function persistentEntraSigningKey(dataDir: string): Promise<EntraSigningKeySource> {
  const file = path.join(dataDir, ENTRA_SIGNING_KEY_FILE);
  if (existsSync(file)) {
    await restrictToOwner(file);
    const key = parsePrivateKey(await readFile(file, "utf8"), file);
    return () => Promise.resolve(key);
  }
  return async () => {
    const pem = await newPrivateKeyPem();
    await writeDurably(file, pem);
    return createPrivateKey(pem);
  };
}

function parsePrivateKey(pem: string, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(
      `${file} is not a PEM private key (${error instanceof Error ? error.message : String(error)}). ` +
        "Delete it to let the emulator make a new one; Entra ID tokens issued with the old key then stop verifying.",
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new Error(
      `${file} holds a ${key.asymmetricKeyType ?? "non-asymmetric"} key; the local Entra ID signs with RSA (RS256). Delete it to let the emulator make a new one.`,
    );
  }
  return key;
}

function newPrivateKeyPem(): Promise<string> {
  // Asynchronous: RSA generation takes tens of milliseconds, off the event loop.
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      },
      (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
    );
  });
}

/**
 * Write a temporary file, fsync it, rename it into place, fsync the directory: after a crash the key
 * is either absent or whole, and once a token signed with it is out, the key is on disk.
 */
async function writeDurably(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await openPrivateFile(temporary, "w");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(path.dirname(file), "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
