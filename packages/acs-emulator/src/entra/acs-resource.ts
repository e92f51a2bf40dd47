import { ACS_AUDIENCE } from "./tokens";

/** True for ACS's audience, with or without trailing slashes (MSAL asks for `…com//.default`). */
export function isAcsResource(resource: string): boolean {
  return resource.replace(/\/+$/, "") === ACS_AUDIENCE;
}

/** The resource of a `<resource>/.default` scope; other scopes unchanged. */
export function stripDefault(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}
