/**
 * `npm run bench -- pages`: cost of rendering the HTML pages compared with the JSON API answering the same
 * question, in-process (app.request, no sockets) over a temp database of 200 offers. Prints ratios.
 */
import { putOffer, registerProvider, sampleOffer, testEnv } from "../test/helpers/deps.ts";

const OFFERS = 200;
const ROUNDS = 150;
const SERVICES = ["storage", "pad", "chat", "videoconference", "mail"];

const env = await testEnv();
try {
  const providers = [];
  for (let i = 0; i < 10; i++) providers.push(await registerProvider(env.app, `bench-${i}`));
  for (let i = 0; i < OFFERS; i++) {
    const p = providers[i % providers.length];
    const res = await putOffer(env.app, p.slug, p.token, `offer-${i}`, sampleOffer({
      service: SERVICES[i % SERVICES.length],
      title: { fr: `Offre ${i} pour les écoles et associations`, en: `Offer ${i} for schools and associations` },
      price: i % 3 ? { model: "fixed", amount: 100 + i, currency: "EUR", period: "month" } : { model: "free" },
    }));
    if (res.status !== 201) throw new Error(`seeding offer ${i}: ${res.status}`);
  }

  async function time(url: string): Promise<number> {
    for (let i = 0; i < 10; i++) await (await env.app.request(url)).arrayBuffer(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      const res = await env.app.request(url);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      await res.arrayBuffer();
    }
    return (performance.now() - t0) / ROUNDS;
  }

  const pairs: Array<[string, string, string]> = [
    ["search, 20 results", "/api/v1/offers?q=ecole", "/?q=ecole&lang=fr"],
    ["browse + filter", "/api/v1/offers?service=pad&price=fixed", "/?service=pad&price=fixed&lang=en"],
    ["offer detail", "/api/v1/offers/bench-3~offer-3", "/offers/bench-3~offer-3?lang=fr"],
    ["provider + 20 offers", "/api/v1/providers/bench-1", "/providers/bench-1?lang=fr"],
  ];
  console.log(`pages bench: ${OFFERS} offers, ${ROUNDS} requests per URL, in-process`);
  for (const [name, api, page] of pairs) {
    const a = await time(api);
    const h = await time(page);
    console.log(`${name.padEnd(22)} json ${a.toFixed(2)} ms  html ${h.toFixed(2)} ms  html/json ${(h / a).toFixed(2)}x`);
  }
} finally {
  await env.close();
}
