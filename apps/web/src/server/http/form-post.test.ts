import { describe, expect, it } from "vitest";
import { MAX_FORM_BODY_BYTES, readSameOriginForm, seeOther } from "./form-post";

const APP = "http://localhost:3000";
const origins = new Set([APP]);

function post(headers: Record<string, string>, body: BodyInit = "email=a%40example.test") {
  return new Request(`${APP}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}

/** The status the guard refuses with, or the form it read. */
async function verdict(request: Request): Promise<number | FormData> {
  const result = await readSameOriginForm(request, origins);
  return result instanceof Response ? result.status : result;
}

describe("the start page's form posts", () => {
  it("reads a form posted by the app's own page", async () => {
    const form = await verdict(post({ origin: APP, "sec-fetch-site": "same-origin" }));
    expect(form).toBeInstanceOf(FormData);
    expect((form as FormData).get("email")).toBe("a@example.test");
    const multipart = new FormData();
    multipart.set("email", "b@example.test");
    const read = await verdict(
      new Request(`${APP}/auth/sign-up`, {
        method: "POST",
        headers: { origin: APP },
        body: multipart,
      }),
    );
    expect((read as FormData).get("email")).toBe("b@example.test");
  });

  it.each([
    ["another origin", { origin: "http://localhost:4000" }],
    ["a sibling subdomain", { origin: "http://evil.localhost:3000" }],
    ["an opaque origin", { origin: "null" }],
    ["another site (no Origin)", { "sec-fetch-site": "cross-site" }],
    ["the same site, another origin", { origin: APP, "sec-fetch-site": "same-site" }],
  ])("refuses a post from %s with 403", async (_what, headers) => {
    expect(await verdict(post(headers))).toBe(403);
  });

  it("refuses bodies that are not forms (415), too large (413) or unreadable (400)", async () => {
    expect(await verdict(post({ origin: APP, "content-type": "application/json" }, "{}"))).toBe(
      415,
    );
    expect(await verdict(post({ origin: APP, "content-type": "text/plain" }, "a=b"))).toBe(415);
    const large = `email=${"a".repeat(MAX_FORM_BODY_BYTES)}`;
    expect(await verdict(post({ origin: APP }, large))).toBe(413);
    const broken = post({ origin: APP, "content-type": "multipart/form-data; boundary=x" }, "nope");
    expect(await verdict(broken)).toBe(400);
  });

  it("answers 303 See Other, never cached, with the cookies given", () => {
    const response = seeOther("/chat", ["a=1; Path=/", "b=2; Path=/"]);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/chat");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });
});
