/**
 * Which of our service categories a piece of software provides, for StatoolInfos services (which name the
 * software, not the category). Data, not code: add a row when a new software shows up in CHATONS files.
 * Matching is on the folded name with spaces and punctuation removed, by prefix (so "Nextcloud Hub" matches).
 */
import type { Service } from "../vocabulary.ts";
import { fold } from "../text.ts";

export const SOFTWARE_SERVICES: ReadonlyArray<readonly [string, Service]> = [
  ["nextcloud", "storage"], ["owncloud", "storage"], ["seafile", "storage"], ["lufi", "storage"], ["pydio", "storage"],
  ["collabora", "office"], ["onlyoffice", "office"], ["libreofficeonline", "office"],
  ["etherpad", "pad"], ["hedgedoc", "pad"], ["codimd", "pad"], ["cryptpad", "pad"], ["framapad", "pad"],
  ["ethercalc", "spreadsheet"], ["framacalc", "spreadsheet"],
  ["jitsi", "videoconference"], ["bigbluebutton", "videoconference"], ["galene", "videoconference"], ["scalelite", "videoconference"],
  ["mattermost", "chat"], ["rocketchat", "chat"], ["element", "chat"], ["synapse", "chat"], ["matrix", "chat"], ["prosody", "chat"],
  ["ejabberd", "chat"], ["movim", "chat"], ["zulip", "chat"], ["xmpp", "chat"], ["mumble", "chat"],
  ["framadate", "poll"], ["nuages", "poll"], ["croodle", "poll"],
  ["limesurvey", "forms"], ["yakforms", "forms"], ["framaforms", "forms"], ["nextcloudforms", "forms"],
  ["roundcube", "mail"], ["rainloop", "mail"], ["snappymail", "mail"], ["sogo", "mail"], ["postfix", "mail"], ["dovecot", "mail"],
  ["mailman", "mail"], ["sympa", "mail"], ["mailu", "mail"],
  ["wordpress", "website"], ["grav", "website"], ["hugo", "website"], ["dokuwiki", "website"], ["mediawiki", "website"],
  ["yeswiki", "website"], ["spip", "website"], ["ghost", "website"], ["writefreely", "website"], ["plume", "website"],
  ["gitea", "git"], ["forgejo", "git"], ["gitlab", "git"], ["gogs", "git"],
  ["peertube", "video"], ["funkwhale", "video"], ["castopod", "video"],
  ["mastodon", "social"], ["pleroma", "social"], ["akkoma", "social"], ["misskey", "social"], ["diaspora", "social"],
  ["friendica", "social"], ["pixelfed", "social"], ["mobilizon", "social"], ["discourse", "social"], ["flarum", "social"],
  ["radicale", "calendar"], ["baikal", "calendar"], ["agenda", "calendar"],
  ["umap", "maps"], ["openstreetmap", "maps"],
];

/** Our category for a software name; `other` when the table does not know it. */
export function serviceOfSoftware(name: string | undefined): Service {
  const key = fold(name ?? "").replace(/[^a-z0-9]/g, "");
  if (!key) return "other";
  for (const [prefix, service] of SOFTWARE_SERVICES) if (key.startsWith(prefix)) return service;
  return "other";
}
