// The start page's "Create account" form posts here (an HTML form: that page loads no React).
import { loggedAction } from "~/server/action-log";
import { proceeds, signUpFromForm } from "~/server/auth/sign-in-steps";
import { seeOther } from "~/server/http/form-post";
import { backToStartPage, readStartPageForm } from "~/server/http/start-page-posts";

const signUp = loggedAction("auth.signUp", signUpFromForm);

export async function POST(request: Request): Promise<Response> {
  const form = await readStartPageForm(request);
  if (form instanceof Response) return form;
  const outcome = await signUp(form);
  if (proceeds(outcome)) return seeOther(outcome.location);
  // "Check your inbox…" or what to fix, shown by the start page.
  return backToStartPage(request, "/", { form: "sign-up", state: outcome });
}
