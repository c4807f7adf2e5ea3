/** In-memory implementation of activitypub-express's store interface (its default is MongoDB), for the interop peer. */
import { preloadedContexts } from "@fedify/vocab-runtime";

type Doc = Record<string, any> & { id: string; _meta?: Record<string, any[]> & { privateKey?: string } };
const clone = <T>(x: T): T => (x === undefined || x === null ? x : structuredClone(x));
const stripMeta = (d: Doc | undefined, keepMeta = false) => {
  if (!d) return null;
  const { _meta, _id, ...rest } = clone(d);
  return keepMeta ? { ...rest, _meta } : rest;
};
/** Mongo-style match: a field equals the value or is an array containing it. */
const has = (field: unknown, value: string) => field === value || (Array.isArray(field) && field.includes(value));

export class MemoryApexStore {
  db = null;
  objects = new Map<string, Doc>();
  streams: Array<Doc & { _id: string }> = [];
  contexts = new Map<string, { contextUrl: string | null; documentUrl: string; document: unknown }>();
  deliveries: any[] = [];
  #seq = 0;

  constructor() {
    // No network in tests: every context Fedify ships is served from memory.
    for (const [url, document] of Object.entries(preloadedContexts)) this.contexts.set(url, { contextUrl: null, documentUrl: url, document });
  }

  async setup(initialUser?: Doc) { if (initialUser) this.objects.set(initialUser.id, clone(initialUser)); }
  async getObject(id: string, includeMeta?: boolean) { return stripMeta(this.objects.get(id), includeMeta === true); }
  async saveObject(object: Doc) {
    if (this.objects.has(object.id)) return false;
    this.objects.set(object.id, clone(object));
    return true;
  }
  async updateObject(obj: Doc, _actorId: string, fullReplace?: boolean) {
    const current = this.objects.get(obj.id);
    if (!current) return null;
    const next: Doc = fullReplace ? clone(obj) : { ...current };
    if (!fullReplace) for (const [k, v] of Object.entries(obj)) { if (v === null) delete next[k]; else next[k] = clone(v); }
    this.objects.set(obj.id, next);
    for (const a of this.streams) if (Array.isArray(a.object)) a.object = a.object.map((o: any) => (o?.id === obj.id ? stripMeta(next) : o));
    return stripMeta(next);
  }
  async getActivity(id: string, includeMeta?: boolean) { return stripMeta(this.streams.find((a) => a.id === id), !!includeMeta); }
  async findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean) {
    return stripMeta(this.streams.find((a) => has(a._meta?.collection, collection) && has(a.object, objectId)), !!includeMeta);
  }
  async findActivityByCollectionAndActorId(collection: string, actorId: string, includeMeta?: boolean) {
    return stripMeta(this.streams.find((a) => has(a._meta?.collection, collection) && has(a.actor, actorId)), !!includeMeta);
  }
  async getStream(collectionId: string, limit?: number, after?: string, blockList?: string[]) {
    let items = this.streams.filter((a) => has(a._meta?.collection, collectionId));
    if (after) items = items.filter((a) => a._id < after);
    if (blockList?.length) items = items.filter((a) => !blockList.some((b) => has(a.actor, b)));
    items = [...items].sort((a, b) => (a._id < b._id ? 1 : -1)).slice(0, limit || undefined);
    return items
      .map((a) => ({ ...stripMeta(a), actor: (Array.isArray(a.actor) ? a.actor : [a.actor]).map((id: string) => stripMeta(this.objects.get(id))).filter(Boolean) }))
      .filter((a) => a.actor.length > 0);
  }
  async getStreamCount(collectionId: string) { return this.streams.filter((a) => has(a._meta?.collection, collectionId)).length; }
  async getUserCount() { return [...this.objects.values()].filter((o) => o._meta?.privateKey).length; }
  async getContext(documentUrl: string) { return clone(this.contexts.get(documentUrl)) ?? null; }
  async saveContext(c: { contextUrl: string | null; documentUrl: string; document: unknown }) {
    this.contexts.set(c.documentUrl, { ...c, document: typeof c.document === "string" ? JSON.parse(c.document) : c.document });
  }
  async saveActivity(activity: Doc) {
    if (this.streams.some((a) => a.id === activity.id)) return undefined;
    this.streams.push({ ...clone(activity), _id: this.generateId() });
    return true;
  }
  async removeActivity(activity: Doc, actorId: string) { this.streams = this.streams.filter((a) => !(a.id === activity.id && has(a.actor, actorId))); }
  async updateActivity(activity: Doc, fullReplace?: boolean) {
    const i = this.streams.findIndex((a) => a.id === activity.id);
    if (i < 0) return activity;
    const current = this.streams[i];
    this.streams[i] = fullReplace ? { ...clone(activity), _id: current._id } : { ...current, ...clone(activity) };
    return stripMeta(this.streams[i], true);
  }
  async updateActivityMeta(activity: Doc, key: string, value: unknown, remove?: boolean) {
    const a = this.streams.find((x) => x.id === activity.id);
    if (!a) throw new Error("Error updating activity meta: not found");
    a._meta ??= {};
    const list = (a._meta[key] ??= []) as unknown[];
    if (remove) a._meta[key] = list.filter((v) => v !== value);
    else if (!list.includes(value)) list.push(value);
    return stripMeta(a, true);
  }
  generateId() { return (++this.#seq).toString(16).padStart(24, "0"); }
  async deliveryEnqueue(actorId: string, body: string, addresses: string | string[], signingKey: string) {
    for (const address of [addresses].flat()) this.deliveries.push({ address, actorId, signingKey, body, attempt: 0, after: new Date() });
    return true;
  }
  async deliveryDequeue() {
    this.deliveries.sort((a, b) => a.after - b.after);
    const i = this.deliveries.findIndex((d) => d.after <= new Date());
    if (i >= 0) return this.deliveries.splice(i, 1)[0];
    return this.deliveries[0] ? { waitUntil: this.deliveries[0].after } : null;
  }
  async deliveryRequeue(delivery: any) {
    delivery.after = new Date(delivery.after.getTime() + Math.pow(10, delivery.attempt++));
    this.deliveries.push(delivery);
    return true;
  }
}
