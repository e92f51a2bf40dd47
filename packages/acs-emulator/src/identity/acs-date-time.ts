/**
 * A date as ACS's .NET service writes `expiresOn`: UTC offset `+00:00`, fraction without trailing
 * zeros (`2023-10-19T15:34:47.9325159+00:00`, `…:34.505895+00:00` in identity-1.3.0).
 */
export function acsDateTime(date: Date): string {
  const iso = date.toISOString(); // 2023-10-19T15:34:47.930Z
  const [seconds = iso, fraction = ""] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${seconds}${trimmed === "" ? "" : `.${trimmed}`}+00:00`;
}
