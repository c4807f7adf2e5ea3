/** Reads a byte stream to the end, or stops (cancelling it) once it passes `maxBytes`: then returns undefined. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out;
}

/** The client went away (connection closed or reset) before its request body was fully read. */
export class ClientClosedRequest extends Error {
  constructor(cause?: unknown) {
    super("the client closed the connection before its request body was read");
    this.name = "ClientClosedRequest";
    this.cause = cause;
  }
}

/**
 * Reads a request body while it streams in, stopping (undefined) once it passes `maxBytes`, so no more than that is
 * ever buffered. A body that breaks off (the client disconnected) throws ClientClosedRequest.
 */
export async function readRequestBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | undefined> {
  try {
    return await readCapped(body, maxBytes);
  } catch (e) {
    throw new ClientClosedRequest(e);
  }
}
