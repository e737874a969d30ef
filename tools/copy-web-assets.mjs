// Copy the front-end libraries the web explorer serves from node_modules into the
// package's static folder, with their licences. Run after `npm ci`: `npm run build:web`.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "src", "sourcetrace", "web", "static", "vendor");
const files = [
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape.LICENSE.txt"],
];

mkdirSync(vendor, { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(root, "node_modules", from), join(vendor, to));
  console.log(`copied ${from} -> src/sourcetrace/web/static/vendor/${to}`);
}
