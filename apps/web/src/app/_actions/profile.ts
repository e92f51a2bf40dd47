"use server";
// The account page's "Display name" form: the app's profile.updateDisplayName procedure, called on the
// server, then the session re-issued so the header and the chats of this session show the new name.
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { formText } from "~/lib/form";
import { loggedAction } from "~/server/action-log";
import { serverCaller } from "~/server/acs";
import { unstable_update } from "~/server/auth";
import { currentUser } from "~/server/session";

export interface DisplayNameState {
  /** What the person typed (kept after a refusal) or the name now saved. */
  displayName?: string;
  error?: string;
  saved?: boolean;
}

const SESSION_ENDED = "Your session has ended. Sign in again.";

async function updateDisplayNameAction(
  _previous: DisplayNameState,
  form: FormData,
): Promise<DisplayNameState> {
  const displayName = formText(form, "displayName");
  const { user } = await currentUser();
  if (!user) return { displayName, error: SESSION_ENDED };
  try {
    const profile = await (await serverCaller(user)).profile.updateDisplayName({ displayName });
    // The session cookie carries the name: the `jwt` callback reads it again (server/auth/config.ts).
    await unstable_update({});
    return { displayName: profile.displayName, saved: true };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "BAD_REQUEST") return { displayName, error: zodMessages(error) };
    if (error.code === "UNAUTHORIZED") return { displayName, error: SESSION_ENDED };
    throw error;
  }
}

/** The schema's own words ("Too big: expected string to have <=80 characters"), one per problem. */
function zodMessages(error: TRPCError): string {
  const cause = error.cause;
  if (!(cause instanceof ZodError)) return error.message;
  return cause.issues.map((issue) => issue.message).join(" ");
}

const loggedUpdateDisplayNameAction = loggedAction(
  "profile.updateDisplayName",
  updateDisplayNameAction,
);
export { loggedUpdateDisplayNameAction as updateDisplayNameAction };
