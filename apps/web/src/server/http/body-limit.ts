// Request body limit for /api/trpc: refuse more than `maxBytes` before anything parses the body —
// by Content-Length when declared, else by counting the stream (chunked uploads declare none).

export const MAX_TRPC_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): Response {
  return Response.json(
    {
      error: {
        code: "PAYLOAD_TOO_LARGE",
        message: `Request bodies are limited to ${maxBytes} bytes.`,
      },
    },
    { status: 413 },
  );
}

/**
 * The request with its body read into memory (at most `maxBytes`), or a 413 response. GET/HEAD and
 * bodiless requests come back unchanged.
 */
export async function withBodyWithin(
  request: Request,
  maxBytes: number,
): Promise<Request | Response> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return tooLarge(maxBytes);
  }
  if (!request.body) return request;

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
  });
}
