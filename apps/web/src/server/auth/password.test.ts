import { describe, expect, it } from "vitest";
import { hashPassword, passwordWeakness, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword("correct horse battery", hash)).resolves.toBe(true);
    await expect(verifyPassword("correct horse batterY", hash)).resolves.toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([
      hashPassword("same password!"),
      hashPassword("same password!"),
    ]);
    expect(a).not.toBe(b);
  });

  it("honours the parameters stored in the hash", async () => {
    const hash = await hashPassword("cheap params ok", { N: 2 ** 10, r: 8, p: 1 });
    expect(hash.startsWith("scrypt$1024$8$1$")).toBe(true);
    await expect(verifyPassword("cheap params ok", hash)).resolves.toBe(true);
  });

  it("refuses malformed hashes instead of throwing", async () => {
    await expect(verifyPassword("x", "plain-text")).resolves.toBe(false);
    await expect(verifyPassword("x", "bcrypt$1$2$3$a$b")).resolves.toBe(false);
  });

  it("explains weak passwords", () => {
    expect(passwordWeakness("short")).toMatch(/at least 10/);
    expect(passwordWeakness("aaaaaaaaaaaa")).toMatch(/different characters/);
    expect(passwordWeakness("alice-secret-1", "alice@example.com")).toMatch(/email/);
    expect(passwordWeakness("a good long passphrase", "bob@example.com")).toBeNull();
  });
});
