// Serverless hosts end long requests, so the server ends each presence watch normally after
// ACS_PRESENCE_WATCH_MAX_SECONDS (4 s on the e2e server). The page subscribes again on its own: the
// dots never go blank in between, and changes made after a resume still arrive.
import { expect, test } from "@playwright/test";
import { countProcedureCalls, newPerson, openParticipants, signUp, startChatWith } from "./helpers";

declare global {
  interface Window {
    adaDotMissing?: boolean;
  }
}

test("the participants' dots survive the server ending the watch stream", async ({ browser }) => {
  // Two sign-ups, a chat and several 4 s streams: more than the default 90 s on a loaded machine.
  test.setTimeout(180_000);
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const a = await browser.newContext();
  const aPage = await a.newPage();
  await signUp(aPage, ada);
  const b = await browser.newContext();
  const bPage = await b.newPage();
  await signUp(bPage, bob);
  const threadPath = await startChatWith(aPage, bob, "Resume");

  const watches = countProcedureCalls(b, "acs.presence.watch");
  await bPage.goto(threadPath);
  const participants = await openParticipants(bPage);
  await expect(participants.getByRole("img", { name: `${ada.name} is online` })).toBeVisible();

  // From now on, note any moment the panel shows no dot for Ada (a blank between two streams).
  await bPage.evaluate((name) => {
    const panel = document.querySelector('dialog[aria-label="Participants"]')!;
    const check = () => {
      if (!panel.querySelector(`[role="img"][aria-label^="${name} is "]`))
        window.adaDotMissing = true;
    };
    new MutationObserver(check).observe(panel, {
      subtree: true,
      childList: true,
      attributes: true,
    });
  }, ada.name);
  const before = watches.count;
  // Two ends and resumes (4 s each).
  await expect.poll(() => watches.count, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);

  // The resumed stream still carries changes.
  await aPage.getByRole("combobox", { name: "Status", exact: true }).selectOption("busy");
  await expect(participants.getByRole("img", { name: `${ada.name} is busy` })).toBeVisible();
  expect(await bPage.evaluate(() => window.adaDotMissing ?? false)).toBe(false);
  await Promise.all([a.close(), b.close()]);
});
