/**
 * Browser tests' shared parts: Debian's Chromium (`/usr/bin/chromium`, installed by .ci/run) launched headless, and
 * the audit every page view gets — no sideways scroll, axe-core (injected from node_modules) with no serious or
 * critical violation, and a full-page screenshot in test/browser/screenshots/ (ignored by git).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import * as assert from "uvu/assert";
import { ROOT } from "./process.ts";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];
export const SHOTS = resolve(ROOT, "test/browser/screenshots");
const AXE = readFileSync(resolve(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** Launches Chromium (failing, not skipping, when it is missing) and makes sure the screenshot folder exists. */
export async function launchChromium(timeoutMs = 30_000): Promise<Browser> {
  if (!existsSync(CHROMIUM)) assert.unreachable(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (CI's .ci/run does it).`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: timeoutMs });
}

type Finding = { id: string; impact: string; targets: string[] };

/** Collects, over many page views, what people would stumble on: `problems` must stay empty. */
export function pageAudit() {
  const problems: string[] = [];
  const lesser = new Map<string, number>(); // moderate and minor findings, by rule, for the record
  let checked = 0;
  return {
    problems,
    get checked() { return checked; },
    /** Audits the page as it is now under `tag`; `shot` names the screenshot file (without `.png`), if any. */
    async audit(page: Page, tag: string, shot?: string): Promise<void> {
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) problems.push(`${tag}: scrolls sideways (${scrollWidth} > ${innerWidth})`);
      await page.addScriptTag({ content: AXE });
      const violations: Finding[] = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(c: Document, o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      checked++;
      for (const v of violations) {
        if (v.impact === "serious" || v.impact === "critical") problems.push(`${tag}: ${v.impact} ${v.id} at ${v.targets.join(", ")}`);
        else lesser.set(`${v.impact} ${v.id}`, (lesser.get(`${v.impact} ${v.id}`) ?? 0) + 1);
      }
      if (shot) await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    },
    /** "N page views, serious or critical: M; others: {…}" for the test's log. */
    summary(): string {
      return `${checked} page views, serious or critical: ${problems.length}; others: ${JSON.stringify(Object.fromEntries(lesser))}`;
    },
  };
}
