// The start page's "Sign in" form posts here (an HTML form: that page loads no React).
import { formText } from "~/lib/form";
import { loggedAction } from "~/server/action-log";
import { proceeds, signInFromForm } from "~/server/auth/sign-in-steps";
import { seeOther } from "~/server/http/form-post";
import { backToStartPage, readStartPageForm } from "~/server/http/start-page-posts";

const signIn = loggedAction("auth.signIn", signInFromForm);

/** The longest callback path sent back to the page (safeRedirectPath refuses longer ones anyway). */
const MAX_CALLBACK_LENGTH = 2048;

export async function POST(request: Request): Promise<Response> {
  const form = await readStartPageForm(request);
  if (form instanceof Response) return form;
  const outcome = await signIn(form);
  if (proceeds(outcome)) return seeOther(outcome.location);
  // Back to the form, keeping where the person was going (checked again on the next post).
  const callbackUrl = formText(form, "redirectTo").slice(0, MAX_CALLBACK_LENGTH);
  const page = callbackUrl ? `/?${new URLSearchParams({ callbackUrl })}` : "/";
  return backToStartPage(request, page, {
    form: "sign-in",
    state: { error: outcome.error, email: outcome.email },
  });
}
