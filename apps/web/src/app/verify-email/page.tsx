import type { Metadata } from "next";
import { ConfirmEmailForm } from "../_components/email-link-forms";
import { InvalidLink, usableLinkToken } from "../_components/email-link-page";

export const dynamic = "force-dynamic";
// The token is in this page's URL: send it to no other site.
export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = await usableLinkToken(searchParams, "verify-email");
  return (
    <main>
      <h1>Confirm your email</h1>
      {token ? (
        <ConfirmEmailForm token={token} />
      ) : (
        <InvalidLink retry={{ href: "/", label: "Create the account again for a new link" }} />
      )}
    </main>
  );
}
