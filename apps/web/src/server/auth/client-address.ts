// The caller's address for sign-in throttling: the first X-Forwarded-For entry as the request carries
// it. Next fills the header from the socket when it is absent; in production the platform's proxy
// (Vercel, Azure Container Apps) sets it.
const MAX_LENGTH = 64;

export function clientAddress(headers: Pick<Headers, "get"> | undefined): string {
  const first = headers?.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first ? first.slice(0, MAX_LENGTH) : "unknown";
}
