// Where the start page sends a visitor who carries a session cookie (pages/index.tsx only sees that
// a cookie is there: it is a Pages Router page, which cannot open the database). Signed in: on to
// `callbackUrl` (a path of this site) or /chat. A cookie of an ended or expired session: it is
// removed, and the start page shows its forms with the notice it was asked for.
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { safeRedirectPath } from "~/lib/safe-redirect";
import { isSessionCookie } from "~/server/auth/session-cookie";
import { env } from "~/env";
import { servedOverHttps } from "~/server/http/app-origins";
import { seeOther } from "~/server/http/form-post";
import { currentUser } from "~/server/session";

export const dynamic = "force-dynamic";

/** The start page's URL the visitor came from: `/` and its query, nothing else. */
function startPage(from: string | null): URL {
  const url = new URL(safeRedirectPath(from, "/"), "http://start.invalid");
  return url.pathname === "/" ? url : new URL("/", url);
}

export async function GET(request: NextRequest): Promise<Response> {
  const from = startPage(request.nextUrl.searchParams.get("from"));
  const { user } = await currentUser();
  if (user) return seeOther(safeRedirectPath(from.searchParams.get("callbackUrl")));

  const jar = await cookies();
  const secure = servedOverHttps(request, env);
  for (const { name } of jar.getAll().filter((cookie) => isSessionCookie(cookie.name))) {
    // `__Secure-` cookies can only be replaced by a Secure one; next-auth sets them at path "/".
    jar.set({
      name,
      value: "",
      maxAge: 0,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: secure || name.startsWith("__Secure-"),
    });
  }
  return seeOther(`/${from.search}`);
}
