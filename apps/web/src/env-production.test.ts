// What the web app itself requires of a production server (startup-check.ts adds acs-server's list).
import { describe, expect, it } from "vitest";
import { productionVariableProblems } from "./env";

const base = { AUTH_SECRET: "s", AUTH_URL: undefined, SMTP_URL: undefined };

describe("productionVariableProblems", () => {
  it("requires AUTH_SECRET", () => {
    expect(productionVariableProblems({ ...base, AUTH_SECRET: undefined })).toEqual([
      expect.stringContaining("AUTH_SECRET is not set"),
    ]);
    expect(productionVariableProblems(base)).toEqual([]);
  });

  it("open sign-up needs SMTP_URL and AUTH_URL for its confirmation links", () => {
    expect(productionVariableProblems({ ...base, AUTH_CREDENTIALS_SIGNUP: true })).toEqual([
      "AUTH_CREDENTIALS_SIGNUP=true mails confirmation links: set SMTP_URL and AUTH_URL too.",
    ]);
    expect(
      productionVariableProblems({
        ...base,
        AUTH_CREDENTIALS_SIGNUP: true,
        SMTP_URL: "smtp://127.0.0.1:25",
        AUTH_URL: "https://chat.example.com",
      }),
    ).toEqual([]);
    expect(productionVariableProblems({ ...base, AUTH_CREDENTIALS_SIGNUP: false })).toEqual([]);
  });
});
