/** `/.well-known/chatonsinfos/…`: our catalog as StatoolInfos files (domain/sources/export.ts), with ETags. */
import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { exportedFile, federationFile } from "../../domain/sources/export.ts";
import { problemResponse } from "../../lib/problem.ts";
import { bodyEtag, etagMatches, PUBLIC_CACHE } from "../cache.ts";

async function send(c: Context, body: string | undefined): Promise<Response> {
  if (body === undefined) return problemResponse(404, "not-found", `Nothing at ${new URL(c.req.url).pathname}.`);
  const etag = await bodyEtag(body);
  const headers = { etag, "cache-control": PUBLIC_CACHE, "access-control-allow-origin": "*" };
  if (etagMatches(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
}

export function chatonsInfosRoutes(deps: Deps) {
  const r = new Hono();
  const publicUrl = deps.config.publicUrl;
  r.get("/.well-known/chatonsinfos/federation.properties", async (c) =>
    send(c, await federationFile(deps.db, publicUrl, `chatons-directory (${new URL(publicUrl).host})`)));
  r.get("/.well-known/chatonsinfos/:provider{[a-z0-9-]+\\.properties}", async (c) => send(c, await exportedFile(deps.db, publicUrl, c.req.param("provider"))));
  r.get("/.well-known/chatonsinfos/:provider{[a-z0-9-]+}/:offer{[a-z0-9-]+\\.properties}", async (c) =>
    send(c, await exportedFile(deps.db, publicUrl, `${c.req.param("provider")}/${c.req.param("offer")}`)));
  return r;
}
