/**
 * A Mastodon user and our directory (test/fixtures/fake-mastodon.ts plays Mastodon's side from its source): the user
 * finds and follows a provider and the directory, sees each new or changed offer as a post with its link, and finds
 * providers and offers by pasting their page URLs.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { putOffer, registerProvider, sampleOffer, testKeyPair } from "../helpers/deps.ts";
import { startFakeMastodon } from "../fixtures/fake-mastodon.ts";
import { drained, eventually, startInstance } from "./instances.ts";

test("Mastodon: profile fields, avatar and pinned posts; following a provider, an offer change arrives as a status with the offer's link; the directory boosts it; page URLs resolve", async () => {
  const dir = await startInstance("localhost");
  const masto = await startFakeMastodon({ keyPair: await testKeyPair("RSASSA-PKCS1-v1_5") });
  try {
    const host = new URL(dir.url).host;
    const p = await registerProvider(dir.env.app, "chaton-masto", { name: "Chaton Masto", website: "https://chaton-masto.example", country: "BE" });
    assert.is((await putOffer(dir.env.app, p.slug, p.token, "cloud", sampleOffer({ title: { fr: "Cloud associatif", en: "Community cloud" } }))).status, 201);
    await drained(dir);

    // Resolving @chaton-masto@host: the profile as Mastodon stores it.
    const account = await masto.resolve(`@chaton-masto@${host}`);
    assert.ok(account, "account resolved");
    assert.equal(account!.fields, [
      { name: "Site web", value: '<a href="https://chaton-masto.example" rel="me nofollow noopener" target="_blank">chaton-masto.example</a>' },
      { name: "Pays", value: "Belgique" },
      { name: "Membre des CHATONS", value: "non" },
      { name: "Offres", value: `<a href="${dir.url}/providers/chaton-masto" rel="me nofollow noopener" target="_blank">${host}/providers/chaton-masto</a>` },
    ]);
    assert.equal([account!.displayName, account!.discoverable, account!.avatar, account!.url], ["Chaton Masto", true, `${dir.url}/ap/providers/chaton-masto/icon.png`, `${dir.url}/providers/chaton-masto`]);
    const avatar = await fetch(account!.avatar!);
    assert.equal([avatar.status, avatar.headers.get("content-type"), [...new Uint8Array(await avatar.arrayBuffer()).slice(1, 4)]], [200, "image/png", [0x50, 0x4e, 0x47]]);
    // The profile is not empty: its current offer is a pinned post (featured collection).
    const pinned = [...masto.statuses.values()].filter((s) => s.pinned);
    assert.is(pinned.length, 1);
    assert.match(pinned[0].text, /Cloud associatif/);
    assert.ok(pinned[0].text.includes(`href="${dir.url}/offers/chaton-masto~cloud"`));

    // Follow; our Accept arrives.
    assert.is(await masto.follow(account!), 202);
    await eventually("follow accepted", () => masto.following.get(account!.uri) === "accepted");

    // The provider changes its offer: Mastodon gets a status it displays, with title, provider, price and the link.
    const before = masto.statuses.size;
    dir.env.deps.clock.advance(3_600_000);
    assert.is((await putOffer(dir.env.app, p.slug, p.token, "cloud", sampleOffer({ title: { fr: "Cloud associatif", en: "Community cloud" }, price: { model: "fixed", amount: 300, currency: "EUR", period: "month" } }))).status, 200);
    const status = await eventually("a status for the change", () => [...masto.statuses.values()].find((s) => !s.pinned && !s.reblogOf && s.account === account!.uri && /Offre mise à jour/.test(s.text)));
    assert.equal([status.visibility, status.url, status.language], ["public", `${dir.url}/offers/chaton-masto~cloud`, "fr"]);
    assert.match(status.text, /<strong>Offre mise à jour\u202f: Cloud associatif<\/strong>/);
    assert.match(status.text, /par Chaton Masto/);
    assert.match(status.text, /Prix\u202f: 3,00\s€ par mois/);
    assert.ok(status.text.includes(`<a href="${dir.url}/offers/chaton-masto~cloud">Voir l’offre et s’inscrire</a>`));
    assert.ok(masto.statuses.size > before);
    // The Proposal sent alongside for directories is what Mastodon drops, as its source says it would.
    await drained(dir);
    assert.ok(masto.dropped.some((d) => d.activity === "Update" && String(d.objectType).endsWith("Proposal")), JSON.stringify(masto.dropped));

    // Following the directory: the next change comes as the directory's boost of the provider's post.
    const directory = await masto.resolve(`@directory@${host}`);
    assert.ok(directory);
    await masto.follow(directory!);
    await eventually("directory follow accepted", () => masto.following.get(directory!.uri) === "accepted");
    dir.env.deps.clock.advance(3_600_000);
    await putOffer(dir.env.app, p.slug, p.token, "pad", sampleOffer({ service: "pad", software: { name: "Etherpad" }, title: { fr: "Pad militant" }, description: { fr: "Écrire ensemble." }, price: { model: "free" } }));
    const boost = await eventually("a boost by the directory", () => [...masto.statuses.values()].find((s) => s.account === directory!.uri && s.reblogOf));
    assert.match(boost.text, /Nouvelle offre\u202f: Pad militant/);
    assert.is(masto.statuses.get(boost.reblogOf!)?.account, account!.uri);

    // Pasting page URLs into Mastodon's search finds the provider and the offer's post.
    const found = await masto.searchUrl(`${dir.url}/providers/chaton-masto`);
    assert.is(found?.account?.uri, account!.uri);
    const offer = await masto.searchUrl(`${dir.url}/offers/chaton-masto~pad`);
    assert.ok(offer?.status?.text.includes(`${dir.url}/offers/chaton-masto~pad`), JSON.stringify(offer));
    // Browsers still get the page, which links its ActivityPub document.
    const html = await masto.fetchHtml(`${dir.url}/offers/chaton-masto~pad`);
    assert.is(html.type, "text/html");
    const alternate = /<link rel="alternate" type="application\/activity\+json" href="([^"]+)"/.exec(html.body)?.[1];
    assert.is(alternate, offer?.status?.uri);

    // The provider removes its pad: the post that announced it and the directory's boost go from Mastodon too (it
    // deletes a status by the status' own id); the cloud's posts stay.
    const postsOf = (slug: string) => [...masto.statuses.values()].filter((s) => s.url === `${dir.url}/offers/chaton-masto~${slug}`);
    assert.ok(postsOf("pad").some((s) => s.reblogOf) && postsOf("pad").some((s) => !s.reblogOf));
    const cloudPosts = postsOf("cloud").length;
    dir.env.deps.clock.advance(60_000);
    const removed = await dir.env.app.request(`/api/v1/providers/${p.slug}/offers/pad`, { method: "DELETE", headers: { authorization: `Bearer ${p.token}` } });
    assert.is(removed.status, 204);
    await eventually("the pad's posts deleted on Mastodon", () => postsOf("pad").length === 0);
    assert.is(postsOf("cloud").length, cloudPosts);

    // An operator hides the provider: Mastodon is told the profile changed, and refetches one that shows only a name.
    assert.equal(masto.accounts.get(account!.uri)!.fields.map((f) => f.name), ["Site web", "Pays", "Membre des CHATONS", "Offres"]);
    dir.env.deps.clock.advance(60_000);
    assert.is((await dir.admin(`/providers/${p.slug}/hide`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason: "not a host" }) })).status, 200);
    await eventually("the hidden profile on Mastodon", () => masto.accounts.get(account!.uri)!.fields.length === 0);
    assert.is(masto.accounts.get(account!.uri)!.displayName, "Chaton Masto");
  } finally { await masto.close(); await dir.close(); }
});

test.run();
