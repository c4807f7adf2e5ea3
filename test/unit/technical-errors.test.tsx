/**
 * A provider reads what went wrong with its server in its language: the technical messages our network layer and the
 * other servers produce (formats of src/delivery/net.ts, webhooks.ts, sources/fetch.ts) map to one sentence each.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { failureKind, IssueLine, issueText, TechnicalError } from "../../src/http/pages/provider/technical.tsx";
import { PROVIDER_CATALOGS, providerTranslator } from "../../src/i18n/provider.ts";

test("each technical message is read as the failure it is", () => {
  const cases: Array<[string, string, number?]> = [
    ["https://lot.example/offers.json: network error: Error: getaddrinfo ENOTFOUND lot.example", "dns"],
    ["cannot resolve lot.example", "dns"],
    ["network error: Error: connect ECONNREFUSED 192.0.2.1:443", "refused"],
    ["timed out after 10000 ms", "timeout"],
    ["network error: Error: unable to verify the first certificate", "tls"],
    ["refusing to fetch 10.0.0.5: private or loopback address", "private"],
    ["response larger than 1000000 bytes", "too-large"],
    ["https://lot.example/offers.json: not valid JSON (Unexpected token 'o')", "json"],
    ["more than 5 redirects", "redirects"],
    ["https://lot.example/offers.json: HTTP 404", "http404", 404],
    ["HTTP 403: forbidden", "httpAuth", 403],
    ["HTTP 501: <!DOCTYPE HTML><html lang=\"en\">…", "http5xx", 501],
    ["HTTP 429", "http", 429],
    ["something nobody foresaw", "other"],
  ];
  for (const [raw, kind, status] of cases) assert.equal(failureKind(raw), status ? { kind, status } : { kind }, raw);
});

test("the sentence is in the reader's language and the raw message stays behind the details, marked English", () => {
  const raw = "https://lot.example/offers.json: network error: Error: getaddrinfo ENOTFOUND lot.example";
  const fr = String(<TechnicalError pt={providerTranslator("fr")} raw={raw} lead="Pourquoi :" />);
  assert.match(fr, "<p>Pourquoi : L’annuaire ne trouve pas ce serveur\u202f: ce nom n’existe pas (vérifiez l’adresse).</p>");
  assert.match(fr, `<summary>Détails techniques (en anglais), pour qui gère ce serveur</summary><code lang="en" translate="no">${raw}</code>`);
  const en = String(<TechnicalError pt={providerTranslator("en")} raw="HTTP 404" />);
  assert.match(en, "The server says there is nothing at this address (HTTP 404): check the address.");
  // Every kind has its sentence in both languages.
  for (const kind of ["dns", "refused", "timeout", "tls", "private", "too-large", "json", "redirects", "http404", "httpAuth", "http5xx", "http", "other"]) {
    for (const lang of ["fr", "en"] as const) assert.ok((PROVIDER_CATALOGS[lang] as Record<string, string>)[`tech.${kind}`], `${lang} tech.${kind}`);
  }
});

test("the problems of a pulled file are said in the reader's words; a message we have no words for stays English, marked so", () => {
  const fr = providerTranslator("fr");
  // As the publishing report of a real pull lists them (valibot's messages and ours, schemas.ts).
  const cases: Array<[string, string]> = [
    ['offers[0].software: Invalid key: Expected "software" but received undefined', "ce champ manque."],
    ['offers[0].service: Invalid type: Expected ("storage" | "office" | "chat") but received "nope"', "«\u202fnope\u202f» n’est pas une valeur acceptée (valeurs acceptées\u202f: storage, office, chat)."],
    ["offers[0].title.fr: Invalid type: Expected string but received 42", "doit être du texte."],
    ["offers[0].slug: must be 2–63 lowercase letters, digits or hyphens", "doit compter de 2 à 63 lettres minuscules, chiffres ou tirets."],
    ["offers[1].dataLocation: must be an ISO 3166-1 alpha-2 code such as FR", "doit être un code pays de deux lettres, comme FR."],
    ["offers[0].signup.url: is required when mode is external", "l’adresse de votre formulaire d’inscription est nécessaire quand l’inscription se fait sur votre site (mode external)."],
    ["offers[0].description.fr: must be at most 2000 characters", "doit compter au plus 2000 caractères."],
  ];
  for (const [message, text] of cases) assert.equal(issueText(fr, message), { path: message.split(": ")[0], text, translated: true }, message);
  assert.equal(issueText(fr, "subs.service.nextcloud: HTTP 404"), { path: "subs.service.nextcloud", text: "HTTP 404", translated: false });
  const html = String(<IssueLine pt={fr} message='offers[0].price: Invalid key: Expected "price" but received undefined' />);
  assert.is(html, '<code translate="no">offers[0].price</code>\u202f: ce champ manque.');
  assert.is(String(<IssueLine pt={fr} message="something new" />), '<span lang="en">something new</span>');
});

test.run();
