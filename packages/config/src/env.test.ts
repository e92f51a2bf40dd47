import { describe, expect, it } from "vitest";
import { booleanFlag, createEnv, optionalString, unsetIfBlank, z } from "./env";

describe("env helper", () => {
  it("parses boolean flags and treats empty strings as unset", () => {
    const env = createEnv({
      server: { FLAG: booleanFlag(false), OTHER: booleanFlag(true), NAME: optionalString() },
      runtimeEnv: { FLAG: "TRUE", OTHER: undefined, NAME: "  " },
    });
    expect(env.FLAG).toBe(true);
    expect(env.OTHER).toBe(true);
    expect(env.NAME).toBeUndefined();
  });

  it("unsetIfBlank is the same rule without zod: blank → undefined, anything else kept as is", () => {
    expect([undefined, "", "   ", "\t\n"].map(unsetIfBlank)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(unsetIfBlank(" x ")).toBe(" x ");
    expect(optionalString().parse(" x ")).toBe(" x ");
  });

  it("fails with a message naming the bad variable", () => {
    expect(() =>
      createEnv({
        server: { PORT: z.coerce.number().int().min(1) },
        runtimeEnv: { PORT: "zero" },
        onValidationError: (issues) => {
          throw new Error(
            issues
              .map((i) => {
                const path = (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p));
                return `${path.join(".")}: ${i.message}`;
              })
              .join("; "),
          );
        },
      }),
    ).toThrow(/PORT/);
  });
});
