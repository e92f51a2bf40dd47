// Presence across two people — heartbeat makes A online, the header picker sets away, and A
// goes offline on its own once its page is gone (e2e server: 10 s time-out, 2 s sweep).
import { expect, test } from "@playwright/test";
import { newPerson, openParticipants, signUp, startChatWith } from "./helpers";

test("B sees A go online, away, and offline after A's page closes", async ({ browser }) => {
  const ada = newPerson("Ada");
  const bob = newPerson("Bob");
  const b = await browser.newContext();
  const bPage = await b.newPage();
  await signUp(bPage, bob);
  const a = await browser.newContext();
  const aPage = await a.newPage();
  await signUp(aPage, ada);

  // The token carries presence (account page). Finding B in the directory shows no presence: a search
  // grants no visibility.
  await aPage.goto("/account");
  await expect(aPage.getByTestId("token-presence")).toHaveText("Presence: included");
  await aPage.goto("/chat");
  await aPage.getByRole("button", { name: "New chat" }).click();
  await aPage.getByRole("searchbox", { name: "Add people" }).fill(bob.name);
  await expect(aPage.getByRole("button", { name: `Add ${bob.name}` })).toBeVisible();
  await expect(aPage.getByRole("dialog").getByTestId("presence")).toHaveCount(0);
  await aPage.keyboard.press("Escape");

  // Starting a chat together does: each sees the other.
  const threadPath = await startChatWith(aPage, bob, "Presence");
  await expect(
    (await openParticipants(aPage)).getByRole("img", { name: `${bob.name} is online` }),
  ).toBeVisible();
  // The sheet is modal: close it to reach the header's status picker.
  await aPage.keyboard.press("Escape");
  await bPage.goto(threadPath);
  const participants = await openParticipants(bPage);
  await expect(participants.getByRole("img", { name: `${ada.name} is online` })).toBeVisible();

  // A picks "away" in the header, with a status text.
  await aPage.getByRole("textbox", { name: "Status text" }).fill("at lunch");
  await aPage.getByRole("combobox", { name: "Status", exact: true }).selectOption("away");
  await expect(participants.getByRole("img", { name: `${ada.name} is away` })).toBeVisible();
  await expect(participants.getByText("at lunch")).toBeVisible();

  // A's page closes without saying goodbye: no heartbeat → offline after the server's time-out.
  await a.close();
  await expect(participants.getByRole("img", { name: `${ada.name} is offline` })).toBeVisible({
    timeout: 30_000,
  });
  await b.close();
});
