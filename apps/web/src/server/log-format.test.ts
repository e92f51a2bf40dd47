import { describe, expect, it } from "vitest";
import { prettyLogLine, requestIdFrom } from "./log-format";

describe("requestIdFrom", () => {
  it("keeps a plain incoming id", () => {
    expect(requestIdFrom("0af7651916cd43dd8448eb211c80319c")).toBe(
      "0af7651916cd43dd8448eb211c80319c",
    );
    expect(requestIdFrom("req-2026.11.29:42")).toBe("req-2026.11.29:42");
  });

  it("replaces a missing, short, long or unsafe id with a new UUID", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of [
      null,
      undefined,
      "",
      "short",
      "x".repeat(129),
      "a b c d e f",
      "<script>x</script>",
      "id\nforged: line",
    ]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
  });
});

describe("prettyLogLine", () => {
  it("formats a procedure line on one readable line", () => {
    const line = JSON.stringify({
      level: "info",
      time: "2026-11-29T01:02:03.456Z",
      pid: 1,
      hostname: "h",
      requestId: "5b1e2c3d-0000-4000-8000-000000000000",
      procedure: "acs.token.issue",
      type: "mutation",
      outcome: "ok",
      durationMs: 41.2,
      userTag: "3f9c0a1b2c3d4e5f",
      msg: "trpc call",
    });
    expect(prettyLogLine(line)).toBe(
      "01:02:03.456 INFO  trpc call acs.token.issue ok 41.2ms user=3f9c0a… req=5b1e2c3d…\n",
    );
  });

  it("keeps other fields as key=value and passes non-JSON through", () => {
    const line = JSON.stringify({
      level: "error",
      time: "2026-11-29T01:02:03.456Z",
      msg: "x",
      acsFailure: "unreachable",
    });
    expect(prettyLogLine(line)).toBe("01:02:03.456 ERROR x acsFailure=unreachable\n");
    expect(prettyLogLine("plain text\n")).toBe("plain text\n");
  });
});
