/** Deterministic synthetic catalog for the search benchmark: providers and offers with French/English text. */
import type { OfferInput, SeedProvider } from "../src/domain/schemas.ts";

export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  /** Zipf-like pick: index i has weight 1/(i+1)^s (cumulative weights cached per list). */
  const cumulative = new WeakMap<readonly unknown[], Map<number, number[]>>();
  const zipf = <T>(xs: readonly T[], s = 1): T => {
    let bySkew = cumulative.get(xs);
    if (!bySkew) cumulative.set(xs, (bySkew = new Map()));
    let cum = bySkew.get(s);
    if (!cum) {
      let acc = 0;
      cum = xs.map((_, i) => (acc += 1 / (i + 1) ** s));
      bySkew.set(s, cum);
    }
    const r = next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] < r) lo = mid + 1; else hi = mid; }
    return xs[lo];
  };
  return { next, int, pick, zipf };
}

type ServiceDef = { service: OfferInput["service"]; software: string[]; fr: string; en: string; weight: number };
export const SERVICE_DEFS: ServiceDef[] = [
  { service: "storage", software: ["Nextcloud", "Seafile", "ownCloud", "Pydio"], fr: "stockage et partage de fichiers", en: "file storage and sharing", weight: 20 },
  { service: "pad", software: ["Etherpad", "HedgeDoc", "CryptPad"], fr: "bloc-notes collaboratif", en: "collaborative notepad", weight: 12 },
  { service: "chat", software: ["Rocket.Chat", "Mattermost", "Element", "Prosody"], fr: "messagerie instantanée", en: "instant messaging", weight: 10 },
  { service: "videoconference", software: ["Jitsi Meet", "BigBlueButton", "Galène"], fr: "visioconférence", en: "video conferencing", weight: 10 },
  { service: "poll", software: ["Framadate", "Rallly"], fr: "sondage et choix de dates", en: "polls and date picking", weight: 6 },
  { service: "forms", software: ["Yakforms", "LimeSurvey"], fr: "formulaires en ligne", en: "online forms", weight: 5 },
  { service: "calendar", software: ["Nextcloud", "Radicale"], fr: "agenda partagé", en: "shared calendar", weight: 6 },
  { service: "mail", software: ["Roundcube", "SOGo", "Dovecot"], fr: "boîte mail", en: "email account", weight: 7 },
  { service: "website", software: ["WordPress", "Grav", "Hugo"], fr: "hébergement de site web", en: "website hosting", weight: 6 },
  { service: "git", software: ["Gitea", "Forgejo", "GitLab"], fr: "forge logicielle", en: "code forge", weight: 4 },
  { service: "video", software: ["PeerTube"], fr: "hébergement de vidéos", en: "video hosting", weight: 3 },
  { service: "social", software: ["Mastodon", "Pleroma", "Misskey"], fr: "réseau social fédéré", en: "federated social network", weight: 4 },
  { service: "office", software: ["Collabora Online", "OnlyOffice"], fr: "suite bureautique en ligne", en: "online office suite", weight: 4 },
  { service: "spreadsheet", software: ["EtherCalc"], fr: "tableur collaboratif", en: "collaborative spreadsheet", weight: 2 },
  { service: "maps", software: ["uMap"], fr: "cartes personnalisées", en: "custom maps", weight: 1 },
];

const BY_WEIGHT = SERVICE_DEFS.slice().sort((a, b) => b.weight - a.weight);
const CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Rennes", "Lille", "Grenoble", "Strasbourg", "Bordeaux", "Montpellier", "Dijon", "Brest", "Nancy", "Tours", "Angers", "Caen", "Rouen", "Limoges", "Poitiers", "Bruxelles", "Liège", "Genève", "Lausanne", "Montréal", "Québec"];
const COUNTRIES = ["FR", "FR", "FR", "FR", "FR", "BE", "CH", "CA", "LU", "DE"];
const NAME_A = ["Chaton", "Libre", "Alter", "Hébergement", "Coop", "Collectif", "Nuage", "Réseau", "Atelier", "Maison", "Ferme", "Association", "Fabrique", "Ruche", "Grappe"];
const NAME_B = ["Numérique", "Solidaire", "des Communs", "Libre", "Éthique", "Local", "Paysan", "Citoyen", "Ouvert", "du Net", "Informatique", "Militant"];
const ORG_TYPES = ["association", "association", "association", "cooperative", "collective", "company", "individual", "public"] as const;
const AUD_FR: Record<string, string> = { individuals: "particuliers", associations: "associations", companies: "entreprises", "public-sector": "collectivités" };
const AUD_EN: Record<string, string> = { individuals: "individuals", associations: "non-profits", companies: "businesses", "public-sector": "public bodies" };
const FR_SENT = [
  "Hébergé à {city} sur nos propres serveurs, alimentés en énergie renouvelable.",
  "Sauvegardes chiffrées chaque nuit et mises à jour de sécurité suivies.",
  "Aucune publicité, aucun pistage : vos données restent les vôtres.",
  "Idéal pour les associations, les écoles et les petites structures.",
  "Accompagnement à la prise en main par notre équipe bénévole.",
  "Service géré par une association locale membre du collectif CHATONS.",
  "Compatible avec les applications mobiles et la synchronisation sur ordinateur.",
  "Nous privilégions la sobriété numérique et le logiciel libre.",
  "Inscription ouverte, quota généreux, support par courriel.",
];
const EN_SENT = [
  "Hosted in {city} on our own servers, powered by renewable energy.",
  "Encrypted nightly backups and timely security updates.",
  "No ads, no tracking: your data stays yours.",
  "Great for non-profits, schools and small teams.",
  "Our volunteer team helps you get started.",
  "Run by a local association that belongs to the CHATONS collective.",
  "Works with mobile apps and desktop sync clients.",
  "We favour digital sobriety and free software.",
];

export function generateProviders(n: number, seed = 1): SeedProvider[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const city = r.pick(CITIES);
    const name = `${r.pick(NAME_A)} ${r.pick(NAME_B)} ${city} ${i + 1}`;
    const slug = `p${i + 1}-${city.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
    return {
      slug, name, website: `https://${slug}.example.org`, email: `contact@${slug}.example.org`, country: r.pick(COUNTRIES),
      orgType: r.pick(ORG_TYPES), description: { fr: `Hébergeur éthique basé à ${city}.` }, chatonsMember: r.next() < 0.6,
    };
  });
}

export function generateOffer(r: ReturnType<typeof prng>, i: number): OfferInput & { slug: string } {
  const def = r.zipf(BY_WEIGHT, 0.9);
  const software = r.zipf(def.software, 1);
  const city = r.pick(CITIES);
  const audience = [...new Set([r.pick(["individuals", "associations", "companies", "public-sector"] as const), r.pick(["individuals", "associations"] as const)])];
  const sentences = (pool: string[], k: number) => Array.from({ length: k }, () => r.pick(pool).replace("{city}", city)).join(" ");
  const model = r.pick(["free", "free", "pay-what-you-want", "fixed", "fixed", "membership"] as const);
  const period = r.pick(["month", "year"] as const);
  const price: OfferInput["price"] = model === "fixed" ? { model, amount: (1 + r.int(20)) * (period === "year" ? 1000 : 100), currency: "EUR", period }
    : model === "membership" ? { model, amount: 1000 + r.int(4) * 500, currency: "EUR", period: "year" } : { model };
  const langs = r.next() < 0.7 ? ["fr"] : r.next() < 0.8 ? ["fr", "en"] : ["en", "fr", "de"];
  return {
    slug: `${def.service}-${i}`,
    service: def.service,
    software: { name: software, version: `${1 + r.int(30)}.${r.int(10)}`, license: "AGPL-3.0" },
    title: { fr: `${software} : ${def.fr} pour ${AUD_FR[audience[0]]}`, en: `${software}: ${def.en} for ${AUD_EN[audience[0]]}` },
    description: { fr: `${def.fr[0].toUpperCase()}${def.fr.slice(1)} avec ${software}. ${sentences(FR_SENT, 3)}`, en: `${def.en} with ${software}. ${sentences(EN_SENT, 2)}` },
    price,
    registration: r.pick(["open", "open", "open", "approval", "members", "closed"] as const),
    capacity: r.next() < 0.9 ? "available" : "full",
    quota: def.service === "storage" ? { storageGB: r.pick([1, 2, 5, 10, 20, 50, 100]) } : {},
    dataLocation: r.pick(COUNTRIES),
    languages: langs,
    includes: r.next() < 0.05 ? [{ service: "pad", software: "HedgeDoc" }, { service: "chat", software: "Rocket.Chat" }] : [],
    audience,
    support: [r.pick(["docs", "email", "chat"] as const)],
    signup: r.next() < 0.5 ? { mode: "webhook" } : { mode: "external", url: "https://example.org/signup" },
  };
}

/** Realistic query + filter combinations, as query strings; drawn Zipf-wise by the benchmark. */
export function generateQueries(n: number, seed = 7): string[] {
  const r = prng(seed);
  const words = ["nextcloud", "pad", "visio", "agenda", "sondage", "stockage", "mail", "mastodon", "jitsi", "partage fichiers", "bloc-notes",
    "association", "cloud", "drive", "chat", "forge", "peertube", "wordpress", "lyon", "paris", "école", "formulaire", "gratuit", "hedgedoc",
    "rocket", "collabora", "bureautique", "calendrier", "réseau social", "framadate", "video", "site web", "seafile", "messagerie", "nextc",
    "visioconférence", "agendas partagés", "stockage nextcloud", "pad collaboratif", "sauvegardes chiffrées"];
  const filters = ["", "", "", "service=storage", "country=FR", "price=free", "available=true", "member=true", "lang=en", "registration=open",
    "service=pad&service=chat", "orgType=association", "audience=associations", "price=free&available=true", "sort=price", "sort=name"];
  const set = new Set<string>();
  while (set.size < n) {
    const q = r.next() < 0.85 ? `q=${encodeURIComponent(r.zipf(words, 0.8))}` : "";
    const f = r.zipf(filters, 0.7);
    const extra = r.next() < 0.3 ? `&limit=${r.pick([10, 20, 50])}` : r.next() < 0.2 ? `&country=${r.pick(["FR", "BE", "CH"])}` : "";
    set.add([q, f].filter(Boolean).join("&") + extra + (set.size % 7 === 0 ? `&service=${r.pick(["storage", "pad", "chat", "mail"])}` : ""));
  }
  return [...set];
}
