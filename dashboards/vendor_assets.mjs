// Copy the dashboards' third-party browser assets from node_modules into a git-ignored static folder.
// Run by `npm ci` (postinstall): the README's setup installs them, nothing is committed or fetched from a CDN.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "dashboards", "static", "dashboards", "vendor");
const files = {
  "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
  "jsvectormap/dist/jsvectormap.min.js": "jsvectormap.min.js",
  "jsvectormap/dist/jsvectormap.min.css": "jsvectormap.min.css",
  "jsvectormap/dist/maps/world.js": "world.js",
};

mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(files)) {
  const from = join(root, "node_modules", source);
  if (!existsSync(from)) {
    console.error(`dashboards: ${source} is missing; run npm ci`);
    process.exit(1);
  }
  copyFileSync(from, join(target, name));
}
console.log(`dashboards: copied ${Object.keys(files).length} assets into ${target}`);
