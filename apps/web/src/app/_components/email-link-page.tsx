import "server-only";
// What the pages behind mailed links share: the token from the URL, checked (never used) on GET,
// since mail scanners open links before their readers do.
import type { EmailTokenPurpose } from "@acs-stack/acs-server";
import Link from "next/link";
import { authMessage } from "~/lib/auth-messages";
import { emailAccountDependencies } from "~/server/auth/email-account-deps";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The token of the link when it can still be used, else undefined. */
export async function usableLinkToken(
  searchParams: SearchParams,
  purpose: EmailTokenPurpose,
): Promise<string | undefined> {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token) return undefined;
  const { tokens } = await emailAccountDependencies();
  return (await tokens.peek(token, purpose)) ? token : undefined;
}

export function InvalidLink({ retry }: { retry: { href: string; label: string } }) {
  return (
    <>
      <p role="alert" className="error">
        {authMessage("link-invalid")}
      </p>
      <p>
        <Link href={retry.href}>{retry.label}</Link>
      </p>
    </>
  );
}
