// Which Identity API operation a request is: method + path, before any authorisation.
import { AcsHttpError, type EmulatorRequest } from "../http/types";
import { badRequest } from "./requests";

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed path segment '${segment}'.`, "InvalidPath");
  }
}

export type IdentityOperation =
  | { kind: "create" }
  | { kind: "issue"; id: string }
  | { kind: "revoke"; id: string }
  | { kind: "delete"; id: string }
  | { kind: "exchange" };

/** Maps method + path to an operation; undefined when the path is not an identity path. */
export function matchOperation(request: EmulatorRequest): IdentityOperation | undefined {
  const segments = request.url.pathname
    .split("/")
    .filter((s) => s !== "")
    .map(decodeSegment);
  const [first, second, third, ...rest] = segments;
  const methodNotAllowed = () =>
    new AcsHttpError(
      405,
      "MethodNotAllowed",
      `${request.method} is not allowed on ${request.url.pathname}.`,
    );
  if (first === "identities") {
    if (rest.length > 0) return undefined;
    if (second === undefined) {
      if (request.method !== "POST") throw methodNotAllowed();
      return { kind: "create" };
    }
    if (third === undefined) {
      if (request.method !== "DELETE") throw methodNotAllowed();
      return { kind: "delete", id: second };
    }
    if (third === ":issueAccessToken" || third === ":revokeAccessTokens") {
      if (request.method !== "POST") throw methodNotAllowed();
      return third === ":issueAccessToken"
        ? { kind: "issue", id: second }
        : { kind: "revoke", id: second };
    }
    return undefined;
  }
  if (first === "teamsUser" && second === ":exchangeAccessToken" && third === undefined) {
    if (request.method !== "POST") throw methodNotAllowed();
    return { kind: "exchange" };
  }
  return undefined;
}
