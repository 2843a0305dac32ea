// Records the commit a packed freestand was built from (dist/src/build-info.json), for `freestand -vV`.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

let commit = null;
try {
  commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { encoding: "utf8" }).trim() || null;
} catch {
  // Not a git checkout: -vV then says "unknown".
}
writeFileSync(new URL("../dist/src/build-info.json", import.meta.url), JSON.stringify({ commit }) + "\n");
