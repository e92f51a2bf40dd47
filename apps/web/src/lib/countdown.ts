/** "4 h 05 min 09 s" / "3 min 07 s" / "expired": the account page's live expiry countdown. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return "expired";
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hours > 0
    ? `${hours} h ${two(minutes)} min ${two(seconds)} s`
    : `${minutes} min ${two(seconds)} s`;
}
