// Issue item 4: a page on another origin of the same site (here another localhost port; in
// production a sibling subdomain) rides the person's SameSite=Lax cookie. It must not be able to
// delete their ACS identity with an auto-submitted multipart form, nor call queries with an <img>.
import { createServer, type Server } from "node:http";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { freePort } from "./free-port";
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
