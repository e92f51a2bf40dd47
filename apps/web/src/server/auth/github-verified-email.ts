// GitHub's userinfo step, replaced so the profile says which email GitHub verified: next-auth's own
// step fills `email` with the primary (or first) address whether verified or not
// (node_modules/@auth/core/providers/github.js). Needs the `user:email` scope, which it asks for.
// https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

const API = "https://api.github.com";

export const githubUserinfoWithVerifiedEmail = {
  url: `${API}/user`,
  async request({ tokens }: { tokens: { access_token?: string } }) {
    const headers = {
      Authorization: `Bearer ${tokens.access_token ?? ""}`,
      "User-Agent": "acs-stack",
    };
    const profile = (await (await fetch(`${API}/user`, { headers })).json()) as Record<
      string,
      unknown
    >;
    const response = await fetch(`${API}/user/emails`, { headers });
    const emails = response.ok ? ((await response.json()) as GitHubEmail[]) : [];
    const primary = emails.find((e) => e.primary && e.verified);
    return { ...profile, verified_primary_email: primary?.email ?? null };
  },
};
