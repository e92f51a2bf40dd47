import type { Metadata } from "next";
import { ResetPasswordForm } from "../_components/email-link-forms";
import { InvalidLink, usableLinkToken } from "../_components/email-link-page";

export const dynamic = "force-dynamic";
// The token is in this page's URL: send it to no other site.
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = await usableLinkToken(searchParams, "reset-password");
  return (
    <main>
      <h1>Choose a new password</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <InvalidLink retry={{ href: "/forgot-password", label: "Ask for a new reset link" }} />
      )}
    </main>
  );
}
