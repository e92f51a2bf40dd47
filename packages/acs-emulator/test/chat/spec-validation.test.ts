// Self-test of the spec validator: the official examples conform, broken bodies do not.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkResponse,
  createSpecValidationPolicy,
  expectNoSpecViolations,
} from "../support/spec-validation";

const SPECS = new URL("../../../../../shared/acs-rest-specs/", import.meta.url);
const readJson = (relative: string): unknown =>
  JSON.parse(readFileSync(new URL(relative, SPECS), "utf8"));

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

function examplesOf(specFile: string) {
  const spec = readJson(specFile) as {
    paths: Record<string, Record<string, { "x-ms-examples"?: Record<string, { $ref: string }> }>>;
  };
  const dir = specFile.slice(0, specFile.lastIndexOf("/") + 1);
  const out: { name: string; method: string; url: string; status: number; body: unknown }[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [name, { $ref }] of Object.entries(operation["x-ms-examples"] ?? {})) {
        const example = readJson(dir + $ref.replace("./", "")) as Example;
        const path = template.replace(/\{([^}]+)\}/g, (_, key: string) =>
          encodeURIComponent(JSON.stringify(example.parameters[key] ?? "x").replace(/^"|"$/g, "")),
        );
        for (const [status, response] of Object.entries(example.responses)) {
          out.push({
            name,
            method,
            url: `https://contoso.example${path}`,
            status: Number(status),
            body: response.body,
          });
        }
      }
    }
  }
  return out;
}

describe("spec validation", () => {
  const examples = [
    ...examplesOf("chat-2025-03-15/communicationserviceschat.json"),
    ...examplesOf("identity-2023-10-01/CommunicationIdentity.json"),
  ];

  it("finds the official examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  it.each(examples.map((e) => [`${e.name} ${e.status}`, e] as const))(
    "accepts example %s",
    (_, e) => {
      const text = e.body === undefined ? "" : JSON.stringify(e.body);
      expect(checkResponse(e.method, e.url, e.status, text)).toEqual([]);
    },
  );

  it("rejects a thread without its required fields and a wrong status", () => {
    const url = "https://h/chat/threads/19%3Aabc%40thread.v2?api-version=2025-03-15";
    expect(
      checkResponse("GET", url, 200, JSON.stringify({ id: "x", topic: "t" })).join("\n"),
    ).toMatch(/createdOn/);
    expect(checkResponse("GET", url, 201, "{}")).not.toEqual([]);
    expect(checkResponse("DELETE", url, 204, "")).toEqual([]);
    expect(checkResponse("DELETE", url, 204, "{}")).not.toEqual([]);
    expect(
      checkResponse("GET", url, 404, JSON.stringify({ error: { code: "NotFound", message: "m" } })),
    ).toEqual([]);
    expect(checkResponse("GET", url, 404, JSON.stringify({ message: "m" }))).not.toEqual([]);
    expect(
      checkResponse(
        "PUT",
        url,
        405,
        JSON.stringify({ error: { code: "MethodNotAllowed", message: "m" } }),
      ),
    ).toEqual([]);
    expect(checkResponse("PUT", url, 200, "{}")).not.toEqual([]);
  });

  it("records violations through the pipeline policy", async () => {
    const recorder = createSpecValidationPolicy();
    const request = {
      method: "POST",
      url: "https://h/chat/threads/19%3Aa%40thread.v2/messages?api-version=2025-03-15",
    };
    await recorder.policy.sendRequest(request, () =>
      Promise.resolve({ status: 201, bodyAsText: JSON.stringify({ id: 5 }) }),
    );
    expect(recorder.checked()).toBe(1);
    expect(() => recorder.expectNoSpecViolations()).toThrow(/id/);
    expect(() => expectNoSpecViolations([])).not.toThrow();
  });
});
