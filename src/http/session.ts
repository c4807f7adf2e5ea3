/**
 * Signed-in areas of the site (the provider space under /provider; operator pages later under /admin): the session
 * cookie, form tokens against cross-site requests, and reading posted forms. docs/decisions/0020-sessions-and-csrf.md.
 *
 * - The session cookie holds a random secret (its SHA-256 keys the server-side row, domain/sessions.ts). It is
 *   HttpOnly, SameSite=Lax, limited to the area's path, Secure (and `__Secure-` prefixed) when PUBLIC_URL is https.
 * - Every form carries a token derived from a secret the browser keeps in an HttpOnly cookie: the session's once
 *   signed in (a synchronizer token tied to the session), before that a pre-session secret (sign-in and join
 *   forms). A POST without the right token is refused with a page in the reader's language and changes nothing.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Deps } from "../deps.ts";
import { currentSession, endSession, formToken, formTokenMatches, newPreSessionSecret, startSession, type Session, type SessionKind } from "../domain/sessions.ts";
import type { FormFields } from "../domain/providers/offer-form.ts";
import { readCapped } from "../lib/bytes.ts";
import { problemResponse } from "./errors.ts";
import { MAX_FORM_BYTES } from "./validate.ts";

/** The name of the hidden field every protected form carries. */
export const FORM_TOKEN_FIELD = "_csrf";

export type AreaVars = { Variables: { session?: Session; sessionSecret?: string; form?: FormFields } };

export type Area = {
  kind: SessionKind;
  path: string;
  /** Reads the session cookie (if any) into `c.var.session`; never refuses. */
  load: MiddlewareHandler<AreaVars>;
  /** Signs the browser in as `subject`: a new session and its cookie (any earlier session of this browser ends). */
  begin(c: Context, subject: string): Promise<Session>;
  /** Ends this browser's session and clears its cookie. */
  end(c: Context): Promise<void>;
  /** The token this browser's forms must carry (the session's when signed in, else a pre-session one, set now if needed). */
  token(c: Context): Promise<string>;
  /**
   * For POST: reads the form into `c.var.form` and refuses (with `refuse`'s page, status 403) unless its token is the
   * one of this browser's session — or, with `anonymous`, of its pre-session secret (sign-in and join forms).
   */
  protect(opts: { anonymous?: boolean; refuse: (c: Context, why: "token" | "too-large") => Promise<Response> }): MiddlewareHandler<AreaVars>;
};

/** Reads an urlencoded form with every value of repeated fields (checkboxes), refusing one over MAX_FORM_BYTES. */
export async function readFormFields(c: Context): Promise<FormFields | undefined> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return undefined;
  const bytes = await readCapped(c.req.raw.body, MAX_FORM_BYTES);
  if (bytes === undefined) return undefined;
  const type = c.req.header("content-type") ?? "";
  const params = /^application\/x-www-form-urlencoded\b/i.test(type) ? new URLSearchParams(new TextDecoder().decode(bytes)) : new URLSearchParams();
  return { get: (name) => params.get(name) ?? undefined, all: (name) => params.getAll(name) };
}

export function sessionArea(deps: Pick<Deps, "db" | "clock" | "config">, kind: SessionKind, path: string): Area {
  const secure = deps.config.publicUrl.startsWith("https:");
  const name = `${secure ? "__Secure-" : ""}cd_${kind}_session`;
  const preName = `${secure ? "__Secure-" : ""}cd_${kind}_form`;
  const cookie = (maxAge?: number) => ({ path, httpOnly: true, sameSite: "Lax" as const, secure, ...(maxAge !== undefined ? { maxAge } : {}) });

  const preSecret = (c: Context, create: boolean): string | undefined => {
    const have = getCookie(c, preName);
    if (have && /^pre_[A-Za-z0-9_-]{20,64}$/.test(have)) return have;
    if (!create) return undefined;
    const fresh = newPreSessionSecret();
    setCookie(c, preName, fresh, cookie(86_400));
    return fresh;
  };

  const area: Area = {
    kind, path,
    load: async (c, next) => {
      const secret = getCookie(c, name);
      const session = await currentSession(deps.db, secret, kind, deps.clock.now());
      if (session && secret) { c.set("session", session); c.set("sessionSecret", secret); }
      await next();
    },
    async begin(c, subject) {
      const old = getCookie(c, name);
      if (old) await endSession(deps.db, old);
      const { secret } = await startSession(deps.db, kind, subject, deps.clock.now(), c.req.header("user-agent"));
      // A session cookie (no Max-Age): the server decides when the session ends; closing the browser ends it too.
      setCookie(c, name, secret, cookie());
      const session = (await currentSession(deps.db, secret, kind, deps.clock.now()))!;
      c.set("session", session);
      c.set("sessionSecret", secret);
      return session;
    },
    async end(c) {
      const secret = getCookie(c, name);
      if (secret) await endSession(deps.db, secret);
      deleteCookie(c, name, cookie());
    },
    async token(c) {
      const secret = (c.get("sessionSecret") as string | undefined) ?? preSecret(c, true)!;
      return formToken(secret);
    },
    protect(opts) {
      return async (c, next) => {
        if (c.req.method !== "POST" || c.get("form")) return next();
        const form = await readFormFields(c);
        if (!form) return opts.refuse(c, "too-large");
        c.set("form", form);
        const given = form.get(FORM_TOKEN_FIELD);
        const ok = (await formTokenMatches(c.var.sessionSecret, given)) || (opts.anonymous === true && (await formTokenMatches(preSecret(c, false), given)));
        if (!ok) return opts.refuse(c, "token");
        await next();
      };
    },
  };
  return area;
}

/** A form body too large for any page: the same problem the API gives (HTML pages show their own refusal). */
export const formTooLarge = () => problemResponse(413, "payload-too-large", `The form must be at most ${MAX_FORM_BYTES} bytes.`);
