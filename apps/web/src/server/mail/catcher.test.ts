import { describe, expect, it } from "vitest";
import { catchMail, caughtMails } from "./catcher";

describe("the development mail catcher", () => {
  it("keeps the newest 50 mails, newest first", () => {
    for (let i = 0; i < 60; i += 1)
      catchMail({ to: `p${i}@example.test`, subject: `mail ${i}`, text: "" }, new Date(i));
    const mails = caughtMails();
    expect(mails).toHaveLength(50);
    expect(mails[0]?.subject).toBe("mail 59");
    expect(mails.at(-1)?.subject).toBe("mail 10");
  });
});
