// The start page's "Sign in with …" buttons post here: on to the provider's sign-in page.
import { loggedAction } from "~/server/action-log";
import { oauthSignInFromForm, proceeds } from "~/server/auth/sign-in-steps";
import { seeOther } from "~/server/http/form-post";
import { backToStartPage, readStartPageForm } from "~/server/http/start-page-posts";

const oauthSignIn = loggedAction("auth.oauthSignIn", oauthSignInFromForm);

export async function POST(request: Request): Promise<Response> {
  const form = await readStartPageForm(request);
  if (form instanceof Response) return form;
  const outcome = await oauthSignIn(form);
  if (proceeds(outcome)) return seeOther(outcome.location);
  return backToStartPage(request, "/", { form: "sign-in", state: outcome });
}
