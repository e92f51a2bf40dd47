// Validates emulator responses against the official ACS OpenAPI 2.0 specs in ../shared/acs-rest-specs
// (never copied). Each response is matched to its operation by method + path template + status and
// its JSON body checked with ajv (draft-04, the JSON Schema dialect of Swagger 2.0); x-ms-* ignored.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import type { ValidateFunction } from "ajv-draft-04";

const SPECS_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/acs-rest-specs",
);

/** Spec documents that hold operations (paths); the common-*.json files only hold definitions. */
const OPERATION_SPECS = [
  "chat-2025-03-15/communicationserviceschat.json",
  "identity-2023-10-01/CommunicationIdentity.json",
] as const;
const DEFINITION_SPECS = [
  "common-2022-07-13/common.json",
  "common-2023-11-15/common.json",
  "common-2025-06-30/common.json",
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SpecViolation {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly operationId?: string;
  readonly problems: readonly string[];
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly operationId: string;
  readonly responses: ReadonlyMap<string, ValidateFunction | null>;
  /** Validator for error bodies whose status the spec does not list (e.g. 400, 404). */
  readonly errorFallback: ValidateFunction | null;
}

const specUri = (file: string) => `acs-spec://${file}`;

/** Turns `../../../Common/stable/<ver>/common.json#...` and `#/...` into absolute spec URIs. */
function absoluteRef(ref: string, file: string): string {
  const [target, fragment = ""] = ref.split("#");
  if (!target) return `${specUri(file)}#${fragment}`;
  const common = /Common\/stable\/([\d-]+)\/common\.json$/.exec(target);
  if (common) return `${specUri(`common-${common[1]}/common.json`)}#${fragment}`;
  return `${specUri(resolve(`/${dirname(file)}`, target).slice(1))}#${fragment}`;
}

function rewriteRefs(node: Json, file: string): Json {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, file));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-ms-") || key === "example") continue;
    out[key] =
      key === "$ref" && typeof value === "string"
        ? absoluteRef(value, file)
        : rewriteRefs(value, file);
  }
  return out;
}

function readSpec(file: string): JsonObject {
  return JSON.parse(readFileSync(resolve(SPECS_ROOT, file), "utf8")) as JsonObject;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  ajv.addFormat(
    "date-time",
    (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
  );
  for (const format of [
    "int32",
    "int64",
    "uri",
    "url",
    "uuid",
    "password",
    "byte",
    "binary",
    "duration",
  ]) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

function templateToPattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

let cachedOperations: Operation[] | undefined;

function loadOperations(): Operation[] {
  if (cachedOperations) return cachedOperations;
  const ajv = createAjv();
  for (const file of [...OPERATION_SPECS, ...DEFINITION_SPECS]) {
    const spec = readSpec(file);
    ajv.addSchema(
      { id: specUri(file), definitions: rewriteRefs(spec.definitions ?? {}, file) },
      specUri(file),
    );
  }
  const compile = (schema: Json | undefined, file: string): ValidateFunction | null =>
    schema === undefined ? null : ajv.compile(rewriteRefs(schema, file) as object);

  const operations: Operation[] = [];
  for (const file of OPERATION_SPECS) {
    const paths = (readSpec(file).paths ?? {}) as Record<string, Record<string, JsonObject>>;
    for (const [template, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (method === "parameters") continue;
        const responses = new Map<string, ValidateFunction | null>();
        let errorFallback: ValidateFunction | null = null;
        for (const [status, response] of Object.entries(
          (operation.responses ?? {}) as Record<string, JsonObject>,
        )) {
          const validate = compile(response.schema, file);
          responses.set(status, validate);
          if (validate && (status === "default" || Number(status) >= 400))
            errorFallback ??= validate;
        }
        operations.push({
          method: method.toUpperCase(),
          template,
          pattern: templateToPattern(template),
          operationId:
            typeof operation.operationId === "string"
              ? operation.operationId
              : `${method} ${template}`,
          responses,
          errorFallback,
        });
      }
    }
  }
  cachedOperations = operations;
  return operations;
}

function normalisedPath(url: string): string {
  const pathname = new URL(url).pathname.replace(/\/{2,}/g, "/");
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment).replaceAll("/", "%2F");
      } catch {
        return segment;
      }
    })
    .join("/");
}

/**
 * Checks one response against the spec. Returns the problems found (empty = conforms). Responses to
 * paths the specs do not describe (e.g. `/emulator/**`) are not checked and return [].
 */
export function checkResponse(
  method: string,
  url: string,
  status: number,
  bodyText: string | undefined,
): string[] {
  const path = normalisedPath(url);
  const upper = method.toUpperCase();
  const candidates = loadOperations().filter((op) => op.pattern.test(path));
  if (candidates.length === 0) return [];
  const operation = candidates.find((op) => op.method === upper);
  if (!operation) {
    // A method the spec does not define on a known path may only be refused, with an ACS error body.
    const errorSchema = candidates.find((op) => op.errorFallback)?.errorFallback;
    if (status < 400 || !errorSchema) return [`no operation ${upper} ${path} in the specs`];
    return errorProblems(errorSchema, `${upper} ${path}`, status, bodyText ?? "");
  }

  const listed = operation.responses.has(String(status));
  let validate = operation.responses.get(String(status)) ?? null;
  if (!listed) {
    if (status < 400)
      return [`status ${status} is not a documented response of ${operation.operationId}`];
    validate = operation.responses.get("default") ?? operation.errorFallback;
  }
  const text = bodyText ?? "";
  if (!validate) {
    return text.length === 0
      ? []
      : [`${operation.operationId} ${status} must have an empty body, got ${text.slice(0, 200)}`];
  }
  return errorProblems(validate, operation.operationId, status, text);
}

function errorProblems(
  validate: ValidateFunction,
  operationId: string,
  status: number,
  text: string,
): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${operationId} ${status} body is not JSON: ${text.slice(0, 200)}`];
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${operationId} ${status}: ${error.instancePath || "(root)"} ${error.message ?? ""} ${JSON.stringify(error.params)}`,
  );
}

/** Structural subset of @azure/core-rest-pipeline's PipelinePolicy (not a direct dependency). */
interface PipelineRequestLike {
  readonly url: string;
  readonly method: string;
}
interface PipelineResponseLike {
  readonly status: number;
  readonly bodyAsText?: string | null;
}
export interface SpecValidationPolicy {
  readonly name: string;
  sendRequest<Req extends PipelineRequestLike, Res extends PipelineResponseLike>(
    request: Req,
    next: (request: Req) => Promise<Res>,
  ): Promise<Res>;
}

export interface SpecValidationRecorder {
  /** Add to an SDK client: `additionalPolicies: [{ policy: recorder.policy, position: "perCall" }]`. */
  readonly policy: SpecValidationPolicy;
  /** Same, ready-made. */
  readonly clientOption: { policy: SpecValidationPolicy; position: "perCall" }[];
  readonly violations: SpecViolation[];
  /** How many responses were checked against a spec operation. */
  readonly checked: () => number;
  /** Checks a response obtained outside the SDK (e.g. with fetch). */
  record(method: string, url: string, status: number, bodyText: string | undefined): void;
  /** Throws with every violation listed when any response did not conform. */
  expectNoSpecViolations(): void;
}

export function createSpecValidationPolicy(): SpecValidationRecorder {
  const violations: SpecViolation[] = [];
  let checked = 0;
  const record = (method: string, url: string, status: number, bodyText: string | undefined) => {
    if (normalisedPath(url).startsWith("/emulator/")) return;
    checked += 1;
    const problems = checkResponse(method, url, status, bodyText);
    if (problems.length > 0) violations.push({ method, url, status, problems });
  };
  const policy: SpecValidationPolicy = {
    name: "acsSpecValidationPolicy",
    async sendRequest(request, next) {
      try {
        const response = await next(request);
        record(request.method, request.url, response.status, response.bodyAsText ?? undefined);
        return response;
      } catch (error) {
        // core-client throws RestError for statuses the operation does not list; check those too.
        const response = (error as { response?: PipelineResponseLike }).response;
        if (response)
          record(request.method, request.url, response.status, response.bodyAsText ?? undefined);
        throw error;
      }
    },
  };
  return {
    policy,
    clientOption: [{ policy, position: "perCall" }],
    violations,
    checked: () => checked,
    record,
    expectNoSpecViolations: () => expectNoSpecViolations(violations),
  };
}

export function expectNoSpecViolations(
  source: SpecValidationRecorder | readonly SpecViolation[],
): void {
  const list: readonly SpecViolation[] = "violations" in source ? source.violations : source;
  if (list.length === 0) return;
  const lines = list.map(
    (v) => `${v.method} ${v.url} → ${v.status}\n    ${v.problems.join("\n    ")}`,
  );
  throw new Error(`${list.length} response(s) violate the ACS REST specs:\n${lines.join("\n")}`);
}
