import { describe, expect, it } from "vitest";
import { MAX_TRPC_BODY_BYTES, withBodyWithin } from "./body-limit";

const URL_ = "http://localhost:3000/api/trpc/acs.token.issue";

/** A body streamed in 64 KiB chunks with no Content-Length (chunked transfer encoding). */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const size = Math.min(left, 64 * 1024);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("the 1 MiB body limit", () => {
  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const result = await withBodyWithin(
      post(body, { "content-length": String(MAX_TRPC_BODY_BYTES + 1) }),
      MAX_TRPC_BODY_BYTES,
    );
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1); // the stream's initial pull at most, nothing read
  });

  it("counts a streamed body without Content-Length and refuses it once it passes the limit", async () => {
    const result = await withBodyWithin(
      post(streamed(MAX_TRPC_BODY_BYTES + 1)),
      MAX_TRPC_BODY_BYTES,
    );
    expect((result as Response).status).toBe(413);
    expect(await (result as Response).json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE" },
    });
  });

  it("passes a body of exactly the limit, intact", async () => {
    const result = await withBodyWithin(post(streamed(MAX_TRPC_BODY_BYTES)), MAX_TRPC_BODY_BYTES);
    expect(result).toBeInstanceOf(Request);
    const body = new Uint8Array(await (result as Request).arrayBuffer());
    expect(body.byteLength).toBe(MAX_TRPC_BODY_BYTES);
  });

  it("keeps method, URL, headers and a small JSON body", async () => {
    const json = JSON.stringify({ 0: { json: { scopes: ["chat"] } } });
    const result = (await withBodyWithin(
      post(json, { "content-type": "application/json" }),
      MAX_TRPC_BODY_BYTES,
    )) as Request;
    expect(result.method).toBe("POST");
    expect(result.url).toBe(URL_);
    expect(result.headers.get("content-type")).toBe("application/json");
    expect(await result.text()).toBe(json);
  });

  it("passes GET requests through untouched", async () => {
    const get = new Request(URL_);
    expect(await withBodyWithin(get, MAX_TRPC_BODY_BYTES)).toBe(get);
  });
});
