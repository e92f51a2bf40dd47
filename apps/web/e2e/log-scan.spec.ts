// The server log (LOG_FILE): every line is JSON, procedure and server-action lines carry the request
// id, outcome, latency and user tag, and nothing in it is a token, key, secret, password or email.
// log-scan.teardown.ts scans the whole run's log again after the last spec.
import { expect, test } from "@playwright/test";
import { e2eEnv } from "./env";
import { newPerson, sendMessage, signIn, signUp, startChatWith } from "./helpers";
import { logProblems, readLogText, type LogLine } from "./log-scan";

const parsed = () => readLogText(e2eEnv.logFile).map((line) => JSON.parse(line) as LogLine);

test("the server log of the browser run is JSON, complete and free of secrets", async ({
  browser,
  request,
}) => {
  expect(e2eEnv.logFile).not.toBe("");

  // Traffic of its own, so the scan has every kind of line even when run alone: sign-up, a refused
  // sign-in (a wrong password is typed), a chat (token, directory, presence calls), sign-out everywhere.
  const ada = newPerson("Logada");
  const bob = newPerson("Logbob");
  const bobContext = await browser.newContext();
  await signUp(await bobContext.newPage(), bob);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, { email: ada.email, password: "not the password" });
  await expect(page.getByRole("alert")).toBeVisible();
  await signUp(page, ada);
  await startChatWith(page, bob, "Logs");
  await sendMessage(page, "Hello from the log scan");
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/reason=signed-out-everywhere/);

  // A proxy's request id is kept, answered in a header, and names the call's log line.
  const requestId = `e2e-log-scan-${Date.now()}`;
  const anonymous = await request.get("/api/trpc/acs.identity.me", {
    headers: { "x-request-id": requestId },
  });
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["x-request-id"]).toBe(requestId);
  // An id that is not a plain token is replaced by a fresh one.
  const replaced = await request.get("/api/trpc/acs.identity.me", {
    headers: { "x-request-id": "<script>" },
  });
  expect(replaced.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  // Lines are written synchronously, but poll briefly rather than assume it.
  await expect
    .poll(() => parsed().some((line) => line.requestId === requestId), { timeout: 10_000 })
    .toBe(true);
  await Promise.all([context.close(), bobContext.close()]);

  // Everything logged so far in this run (the teardown scans the rest once every spec has run).
  expect(logProblems(readLogText(e2eEnv.logFile))).toEqual([]);
  const lines = parsed();

  const calls = lines.filter((line) => line.msg === "trpc call");
  const issued = calls.filter((l) => l.procedure === "acs.token.issue" && l.outcome === "ok");
  expect(issued.length).toBeGreaterThan(0);
  for (const line of issued) {
    expect(line.requestId).toMatch(/^[\w.:-]{8,128}$/);
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(line.userTag).toMatch(/^[0-9a-f]{16}$/);
  }
  expect(calls.find((line) => line.requestId === requestId)).toMatchObject({
    procedure: "acs.identity.me",
    outcome: "UNAUTHORIZED",
    userTag: null,
  });

  const actions = lines.filter((line) => line.msg === "server action");
  expect(actions.map((line) => `${line.action} ${line.outcome}`)).toEqual(
    expect.arrayContaining([
      // Sign-up answers "check your mail"; following the link confirms and signs in.
      "auth.signUp ok",
      "auth.confirmEmail redirect",
      "auth.signIn refused",
      "auth.signOutEverywhere redirect",
    ]),
  );
  // The revoke that "sign out everywhere" makes shares the action's request id.
  const signOutEverywhere = actions.findLast((l) => l.action === "auth.signOutEverywhere")!;
  expect(signOutEverywhere.userTag).toMatch(/^[0-9a-f]{16}$/);
  expect(
    calls.find(
      (l) => l.requestId === signOutEverywhere.requestId && l.procedure === "acs.token.revoke",
    ),
  ).toMatchObject({ outcome: "ok", userTag: signOutEverywhere.userTag });
});
