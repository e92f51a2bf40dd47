/** Where the app is served locally (next-auth builds its URLs on localhost, see toolchain facts). */
export const LOCAL_APP_URL = "http://localhost:3000";

export function absoluteUrl(path: string, base: string = LOCAL_APP_URL): string {
  return new URL(path, base).toString();
}
