// Sign-up with email confirmation and password reset against acs-server's real stores on an
// in-memory PGlite: what each path answers (the same for taken and unknown addresses), which mail it
// sends, and that links only work for their purpose, user and password.
import {
  createDatabase,
  createEmailTokenStore,
  createLoginThrottle,
  createMailSendLimit,
  createSessionStore,
  createUserStore,
  type Database,
} from "@acs-stack/acs-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountMail } from "../mail/mail";
import { accountLink, appOrigin } from "../mail/links";
import {
  confirmEmail,
  requestPasswordReset,
  requestSignUp,
  resetPassword,
  TOO_MANY_MAIL_REQUESTS,
  type EmailAccountDependencies,
} from "./email-accounts";
import { authorizeWithPassword, SignInRefused } from "./credentials";

let database: Database;
let deps: EmailAccountDependencies;
const ORIGIN = "https://chat.example.com";

beforeAll(async () => {
  database = await createDatabase({ memory: true });
  deps = {
    users: createUserStore(database),
    tokens: createEmailTokenStore(database),
    limit: createMailSendLimit(database, { perClient: 1000, perRecipient: 1000 }),
    throttle: createLoginThrottle(database),
    origin: ORIGIN,
  };
});
afterAll(async () => {
  await database.close();
});

let seq = 0;
const person = () => {
  seq += 1;
  return {
    email: `p${seq}.${Date.now()}@example.test`,
    password: `a fine passphrase ${seq}`,
    displayName: `P ${seq}`,
  };
};
const CLIENT = "203.0.113.9";
const tokenOf = (mail: AccountMail) =>
  new URL(/https:\S+/.exec(mail.text)![0]).searchParams.get("token")!;
const mailsOf = (result: Awaited<ReturnType<typeof requestSignUp>>) => {
  if (!result.ok) throw new Error(result.message);
  return result.mails;
};
const signInAs = (input: { email: string; password: string }) =>
  authorizeWithPassword(
    { users: deps.users, throttle: deps.throttle, requireVerifiedEmail: true },
    input,
    `${CLIENT}-${Math.random()}`,
  );

describe("requestSignUp", () => {
  it("makes an unconfirmed account and mails a link on the app's origin", async () => {
    const p = person();
    const [mail] = mailsOf(await requestSignUp(deps, p, CLIENT));
    expect(mail?.to).toBe(p.email);
    expect(mail?.subject).toMatch(/^Confirm your email/);
    expect(mail!.text).toContain(`${ORIGIN}/verify-email?token=`);
    const user = await deps.users.findByEmail(p.email);
    expect(user?.emailVerifiedAt).toBeNull();
    await expect(signInAs(p)).rejects.toMatchObject({ code: "email-unverified" });
    await expect(signInAs({ ...p, password: "wrong password!" })).rejects.toMatchObject({
      code: "invalid-credentials",
    });

    expect(
      await confirmEmail(deps, { token: tokenOf(mail!), password: p.password }, CLIENT),
    ).toEqual({
      ok: true,
      email: p.email,
    });
    await expect(signInAs(p)).resolves.toMatchObject({ email: p.email });
  });

  it("answers a confirmed address like a new one, mails its owner and changes nothing", async () => {
    const owner = person();
    const [link] = mailsOf(await requestSignUp(deps, owner, CLIENT));
    await confirmEmail(deps, { token: tokenOf(link!), password: owner.password }, CLIENT);
    const before = await deps.users.findByEmail(owner.email);

    const attempt = { ...person(), email: owner.email.toUpperCase() };
    const result = await requestSignUp(deps, attempt, CLIENT);
    expect(result.ok).toBe(true);
    expect(Object.keys(result)).toEqual(Object.keys(await requestSignUp(deps, person(), CLIENT)));
    const mails = mailsOf(result);
    expect(mails.map((m) => m.to)).toEqual([owner.email]);
    expect(mails[0]?.subject).toMatch(/^Someone tried to sign up/);
    expect(mails[0]?.text).toContain(accountLink("/forgot-password", undefined, ORIGIN));
    expect(await deps.users.findByEmail(owner.email)).toEqual(before);
  });

  it("lets the newest sign-up of an unconfirmed address win: the squatter's link and password stop working", async () => {
    const owner = person();
    const squat = mailsOf(
      await requestSignUp(deps, { ...owner, password: "squatter passphrase" }, CLIENT),
    );
    const mine = mailsOf(await requestSignUp(deps, owner, CLIENT));
    expect(
      await confirmEmail(
        deps,
        { token: tokenOf(squat[0]!), password: "squatter passphrase" },
        CLIENT,
      ),
    ).toEqual({ ok: false, reason: "link-invalid" });
    expect(
      await confirmEmail(
        deps,
        { token: tokenOf(mine[0]!), password: "squatter passphrase" },
        CLIENT,
      ),
    ).toEqual({ ok: false, reason: "invalid-credentials" });
    expect(
      await confirmEmail(deps, { token: tokenOf(mine[0]!), password: owner.password }, CLIENT),
    ).toMatchObject({
      ok: true,
    });
  });

  it("refuses a client past its limit openly, and mails one address past its limit silently", async () => {
    const limited = {
      ...deps,
      limit: createMailSendLimit(database, { perClient: 3, perRecipient: 1 }),
    };
    const target = person();
    const client = `198.51.100.${seq}`;
    expect(mailsOf(await requestSignUp(limited, target, client))).toHaveLength(1);
    expect(await requestSignUp(limited, target, client)).toEqual({ ok: true, mails: [] });
    expect(await requestPasswordReset(limited, target.email, client)).toEqual({
      ok: true,
      mails: [],
    });
    expect(await requestSignUp(limited, person(), client)).toEqual({
      ok: false,
      message: TOO_MANY_MAIL_REQUESTS,
    });
  });

  it("refuses bad input with the form's words", async () => {
    expect(await requestSignUp(deps, { ...person(), email: "nope" }, CLIENT)).toMatchObject({
      ok: false,
      field: "email",
    });
    expect(await requestSignUp(deps, { ...person(), password: "short" }, CLIENT)).toMatchObject({
      ok: false,
      field: "password",
    });
  });
});

describe("password reset", () => {
  it("answers an unknown address like a known one, mailing only the known one", async () => {
    const known = person();
    mailsOf(await requestSignUp(deps, known, CLIENT));
    const unknown = await requestPasswordReset(deps, person().email, CLIENT);
    const found = await requestPasswordReset(deps, known.email, CLIENT);
    expect(unknown).toEqual({ ok: true, mails: [] });
    const mails = mailsOf(found);
    expect(mails.map((m) => m.to)).toEqual([known.email]);
    expect(mails[0]?.subject).toMatch(/^Reset/);
  });

  it("sets the password once, confirms the email and ends every session", async () => {
    const p = person();
    mailsOf(await requestSignUp(deps, p, CLIENT));
    const user = (await deps.users.findByEmail(p.email))!;
    const sessions = createSessionStore(database);
    const session = await sessions.create(user.id);
    const [mail] = mailsOf(await requestPasswordReset(deps, p.email, CLIENT));
    const token = tokenOf(mail!);

    expect(await resetPassword(deps, { token, password: "short" })).toMatchObject({
      ok: false,
      reason: "weak-password",
    });
    // A verify link is no reset link.
    const [verify] = mailsOf(await requestSignUp(deps, p, CLIENT));
    expect(
      await resetPassword(deps, { token: tokenOf(verify!), password: "new passphrase ok" }),
    ).toEqual({
      ok: false,
      reason: "link-invalid",
    });

    expect(await resetPassword(deps, { token, password: "new passphrase ok" })).toEqual({
      ok: true,
      userId: user.id,
    });
    expect(await sessions.isActive(session.id, user.id)).toBe(false);
    await expect(
      signInAs({ email: p.email, password: "new passphrase ok" }),
    ).resolves.toMatchObject({
      id: user.id,
    });
    await expect(signInAs(p)).rejects.toBeInstanceOf(SignInRefused);
    expect(await resetPassword(deps, { token, password: "another passphrase" })).toEqual({
      ok: false,
      reason: "link-invalid",
    });
  });
});

describe("appOrigin", () => {
  it("is AUTH_URL's origin, localhost:3000 in development, and required in production", () => {
    expect(
      appOrigin({ AUTH_URL: "https://chat.example.com/some/path", NODE_ENV: "production" }),
    ).toBe("https://chat.example.com");
    expect(appOrigin({ NODE_ENV: "development" })).toBe("http://localhost:3000");
    expect(() => appOrigin({ NODE_ENV: "production" })).toThrow(/AUTH_URL/);
  });
});
