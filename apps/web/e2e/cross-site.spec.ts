// Issue item 4: a page on another origin of the same site (here another localhost port; in
// production a sibling subdomain) rides the person's SameSite=Lax cookie. It must not be able to
// delete their ACS identity with an auto-submitted multipart form, nor call queries with an <img>.
import { createServer, type Server } from "node:http";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { freePort } from "@acs-stack/config/free-port";
import { newPerson, signUp } from "./helpers";

/** Serves the attacker's page on another localhost port: an <img> GET, then a multipart form POST. */
async function startAttackerSite(
  appUrl: string,
  searchQuery: string,
): Promise<{ url: string; server: Server }> {
  const input = encodeURIComponent(JSON.stringify({ query: searchQuery }));
  const html = `<!doctype html><html><body>
<img id="probe" src="${appUrl}/api/trpc/acs.directory.search?input=${input}">
<form id="attack" method="POST" enctype="multipart/form-data" action="${appUrl}/api/trpc/acs.identity.delete">
  <input name="0" value="{}">
</form>
<script>
  const submit = () => document.getElementById("attack").submit();
  const img = document.getElementById("probe");
  img.onload = submit;
  img.onerror = submit;
</script>
</body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://localhost:${port}/`, server };
}

interface SeenRequest {
  status?: number;
  requestHeaders: Record<string, string>;
}

/**
 * Requests of `page` whose URL contains `urlPart`: the headers Chromium really sent and the status
 * it got. DevTools may report a request's extra info before or after the request itself: join by id.
 */
async function watchRequests(
  context: BrowserContext,
  page: Page,
  urlPart: string,
): Promise<() => SeenRequest[]> {
  const cdp = await context.newCDPSession(page);
  const matching: string[] = [];
  const headers = new Map<string, Record<string, string>>();
  const statuses = new Map<string, number>();
  cdp.on("Network.requestWillBeSent", (event) => {
    if (event.request.url.includes(urlPart)) matching.push(event.requestId);
  });
  cdp.on("Network.requestWillBeSentExtraInfo", (event) => {
    const lower = Object.entries(event.headers).map(([name, value]) => [
      name.toLowerCase(),
      String(value),
    ]);
    headers.set(event.requestId, Object.fromEntries(lower) as Record<string, string>);
  });
  // Raw response headers arrive before ORB withholds the body from the page.
  cdp.on("Network.responseReceivedExtraInfo", (event) =>
    statuses.set(event.requestId, event.statusCode),
  );
  await cdp.send("Network.enable");
  return () =>
    matching.map((id) => ({ status: statuses.get(id), requestHeaders: headers.get(id) ?? {} }));
}

test("a page on another localhost port can neither delete the person's ACS identity nor read the directory", async ({
  page,
  context,
  baseURL,
}) => {
  const victim = newPerson("Victim");
  const colleague = newPerson("Colleague");
  // Someone the victim can find in the directory (what the <img> tries to read).
  const other = await context.browser()!.newContext();
  await signUp(await other.newPage(), colleague);
  await other.close();

  await signUp(page, victim);
  await page.goto("/account");
  const acsUserId = page.getByTestId("acs-user-id");
  await expect(acsUserId).toHaveText(/^8:acs:/);
  const before = await acsUserId.textContent();

  const attacker = await startAttackerSite(baseURL!, colleague.name);
  try {
    const attackPage = await context.newPage();
    // The browser hides the <img>'s JSON answer from the page (ORB): read what the server answered,
    // and what the browser sent, from the DevTools protocol.
    const searches = await watchRequests(context, attackPage, "/api/trpc/acs.directory.search?");
    const remove = attackPage.waitForResponse((r) =>
      r.url().endsWith("/api/trpc/acs.identity.delete"),
    );
    await attackPage.goto(attacker.url);

    const removeResponse = await remove;
    // The form is submitted once the <img> settled: its request has been answered by now.
    await expect.poll(() => searches().map((s) => s.status)).toEqual([403]);
    await expect.poll(() => searches()[0]?.requestHeaders["cookie"]).toMatch(/session-token=/);
    expect(searches()[0]?.requestHeaders["sec-fetch-site"]).toBe("same-site");

    // The cookie went along (same site): only the server's checks stand in the way.
    expect(await removeResponse.request().headerValue("cookie")).toMatch(/session-token=/);
    expect(removeResponse.status()).toBe(403);
    expect(await removeResponse.text()).not.toContain("deleted");
    await attackPage.close();
  } finally {
    attacker.server.close();
  }

  // No effect: the same identity is still there.
  await page.goto("/account");
  await expect(acsUserId).toHaveText(before ?? "");
});

/** Serves one auto-submitting HTML form per path on another localhost port, each posting to the app. */
async function startFormAttackSite(
  appUrl: string,
  forms: Record<string, { action: string; fields: Record<string, string> }>,
): Promise<{ url: string; server: Server }> {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const server = createServer((req, res) => {
    const form = forms[req.url ?? ""];
    if (!form) {
      res.writeHead(404).end();
      return;
    }
    const inputs = Object.entries(form.fields)
      .map(([name, value]) => `<input name="${escape(name)}" value="${escape(value)}">`)
      .join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><body>
<form id="attack" method="POST" action="${appUrl}${form.action}">${inputs}</form>
<script>document.getElementById("attack").submit();</script>
</body></html>`);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://localhost:${port}`, server };
}

test("a page on another localhost port can neither sign the visitor in nor up through the start page's form posts", async ({
  browser,
  baseURL,
}) => {
  // Login CSRF: the attacker's own account, so the victim would chat as the attacker unawares.
  const mallory = newPerson("Mallory");
  const setup = await browser.newContext();
  await signUp(await setup.newPage(), mallory);
  await setup.close();

  const planted = newPerson("Planted");
  const attacks = {
    "/sign-in": {
      action: "/auth/sign-in",
      fields: { email: mallory.email, password: mallory.password, redirectTo: "/account" },
    },
    "/sign-up": {
      action: "/auth/sign-up",
      fields: { email: planted.email, password: planted.password, displayName: planted.name },
    },
    "/oauth": { action: "/auth/oauth", fields: { provider: "github" } },
  };
  const attacker = await startFormAttackSite(baseURL!, attacks);
  const victim = await browser.newContext();
  try {
    for (const [path, { action }] of Object.entries(attacks)) {
      const page = await victim.newPage();
      const answer = page.waitForResponse((r) => r.url() === `${baseURL}${action}`);
      await page.goto(`${attacker.url}${path}`);
      const response = await answer;
      // A real cross-origin browser post (same site: only the server's check stands in the way).
      expect(await response.request().headerValue("origin")).toBe(attacker.url);
      expect(await response.request().headerValue("sec-fetch-site")).toBe("same-site");
      expect(response.status(), `${action} from another origin`).toBe(403);
      await page.close();
    }
    // No session, no flash: the app set no cookie at all.
    expect(await victim.cookies(baseURL)).toEqual([]);
    const page = await victim.newPage();
    await page.goto("/chat");
    await expect(page).toHaveURL(/\/\?reason=sign-in-required$/);
  } finally {
    attacker.server.close();
    await victim.close();
  }
});
