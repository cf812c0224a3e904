#!/usr/bin/env node
// Takes a headless Chromium screenshot of a Pulse address once its panels
// have loaded (no panel still shows its loading skeleton), in real time:
// the Queue reads a large hour in a worker and in steps, which a
// browser's virtual time does not wait for.
//
//   node scripts/screenshot.mjs URL OUT.png [width] [height]
//
// Called by scripts/screenshot.sh. Chromium comes from $CHROME_PATH
// (Debian's /usr/bin/chromium by default), playwright-core from .tools/.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, ".tools", "package.json"));
const { chromium } = require("playwright-core");

const [url, out, width = "1280", height = "900"] = process.argv.slice(2);
if (!url || !out) {
  console.error("usage: screenshot.mjs URL OUT.png [width] [height]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars"],
});
try {
  const page = await browser.newPage({ viewport: { width: +width, height: +height }, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: "load" });
  // Every panel out of its loading state (a panel that fails says so,
  // which is worth a picture too); at most 20 s.
  await page
    .waitForFunction(
      () => document.querySelector("[data-panel]") && !document.querySelector('[aria-busy="true"]'),
      null,
      { timeout: 20_000 },
    )
    .catch(() => console.error("still loading after 20 s; taken as it is"));
  // Charts drawn in slices and images decoded.
  await page.waitForTimeout(800);
  await page.screenshot({ path: out });
} finally {
  await browser.close();
}
console.log(out);
