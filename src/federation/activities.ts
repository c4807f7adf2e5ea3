/** Activities we send in answer to others (kept apart from the inbox so admin code can send them too). */
import type { Context } from "@fedify/fedify";
import { Accept, Follow, type Recipient } from "@fedify/vocab";
import { randomHex } from "../lib/ids.ts";

/** A fresh activity id under our actor `me`: `<actor>#<kind>-<uuid>`. */
export function activityId(me: URL, kind: string): URL {
  return new URL(`${me.href}#${kind}-${randomHex()}`);
}

/** Accept embeds the Follow with `actor` and `object` as plain URLs (activitypub-express insists on it). */
export async function sendAccept(ctx: Context<void>, identifier: string, follow: Follow, follower: Recipient) {
  const me = ctx.getActorUri(identifier);
  await ctx.sendActivity({ identifier }, follower, new Accept({
    id: activityId(me, "accept"), actor: me,
    object: new Follow({ id: follow.id, actor: follow.actorId, object: follow.objectId }),
  }));
}
