// Local CA + server certificate for the HTTPS side, and the RS256 key that signs user tokens.
// Created on first start in the data dir and reused; in-memory mode keeps them in memory only.
// Keys come from node:crypto (fast); node-forge only builds and signs the X.509 certificates.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import forge from "node-forge";
import { ensurePrivateDir, restrictToOwner, writePrivateFile } from "./persistence/private-files";

export interface TlsMaterial {
  readonly caCertPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** Where the CA certificate lives on disk (undefined in memory). */
  readonly caCertPath?: string;
}

export interface SigningKeyMaterial {
  readonly privateKeyPem: string;
  /** Key id in the JWT header and the JWKS: SHA-256 thumbprint of the public key. */
  readonly kid: string;
}

const FILES = {
  ca: "ca.pem",
  caKey: "ca-key.pem",
  server: "server.pem",
  serverKey: "server-key.pem",
  signingKey: "token-signing-key.pem",
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

function serialNumber(): string {
  // Positive: clear the high bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + 3650 * DAY_MS);
  const subject = [
    { name: "commonName", value: "ACS Emulator Local CA" },
    { name: "organizationName", value: "acs-stack (development only)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function createServerCert(ca: { certPem: string; keyPem: string }): {
  certPem: string;
  keyPem: string;
} {
  const keys = rsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY_MS);
  // 825 days: the longest validity Apple platforms accept for TLS server certificates.
  cert.validity.notAfter = new Date(now + 825 * DAY_MS);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function createSigningKeyPem(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  }).privateKey;
}

export function signingKeyFromPem(privateKeyPem: string): SigningKeyMaterial {
  const spki = createPrivateKey(privateKeyPem).export({ type: "pkcs1", format: "der" });
  const kid = createHash("sha256").update(spki).digest("base64url").slice(0, 22);
  return { privateKeyPem, kid };
}

let processTls: TlsMaterial | undefined;

/**
 * Key material that never touches the disk. The CA and server certificate are made once per process
 * and shared by its in-memory emulators (RSA key generation dominates start-up time, and tests start
 * many); every call gets its own token-signing key, so tokens of one emulator never verify at another.
 */
export function createInMemoryKeyMaterial(): { tls: TlsMaterial; signing: SigningKeyMaterial } {
  if (!processTls) {
    const ca = createCa();
    const server = createServerCert(ca);
    processTls = {
      caCertPem: ca.certPem,
      serverCertPem: server.certPem,
      serverKeyPem: server.keyPem,
    };
  }
  return { tls: processTls, signing: signingKeyFromPem(createSigningKeyPem()) };
}

/** Loads the key material from `dataDir`, creating whatever is missing. */
export async function loadOrCreateKeyMaterial(
  dataDir: string,
): Promise<{ tls: TlsMaterial; signing: SigningKeyMaterial }> {
  await ensurePrivateDir(dataDir);
  const file = (name: string) => path.join(dataDir, name);

  let ca: { certPem: string; keyPem: string };
  if (existsSync(file(FILES.ca)) && existsSync(file(FILES.caKey))) {
    ca = {
      certPem: await readFile(file(FILES.ca), "utf8"),
      keyPem: await readFile(file(FILES.caKey), "utf8"),
    };
  } else {
    ca = createCa();
    await writePrivateFile(file(FILES.caKey), ca.keyPem);
    await writePrivateFile(file(FILES.ca), ca.certPem);
    // A new CA invalidates any older server certificate.
    await writePrivateFile(file(FILES.server), "");
  }

  let server: { certPem: string; keyPem: string };
  const existingServer = existsSync(file(FILES.server))
    ? await readFile(file(FILES.server), "utf8")
    : "";
  if (existingServer.trim() !== "" && existsSync(file(FILES.serverKey))) {
    server = { certPem: existingServer, keyPem: await readFile(file(FILES.serverKey), "utf8") };
  } else {
    server = createServerCert(ca);
    await writePrivateFile(file(FILES.serverKey), server.keyPem);
    await writePrivateFile(file(FILES.server), server.certPem);
  }

  let signingPem: string;
  if (existsSync(file(FILES.signingKey))) {
    signingPem = await readFile(file(FILES.signingKey), "utf8");
  } else {
    signingPem = createSigningKeyPem();
    await writePrivateFile(file(FILES.signingKey), signingPem);
  }

  // Files an older version wrote with the umask's mode (0644 certificates) become private too.
  for (const name of Object.values(FILES)) await restrictToOwner(file(name));

  return {
    tls: {
      caCertPem: ca.certPem,
      serverCertPem: server.certPem,
      serverKeyPem: server.keyPem,
      caCertPath: file(FILES.ca),
    },
    signing: signingKeyFromPem(signingPem),
  };
}
