import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { allCodes, describeCode } from "../../src/codes/index.js";
import { RULES } from "../../src/rules/index.js";
import { VERIFY_CODES } from "../../src/elf/verify/codes/index.js";
import { CATALOGUE } from "../../src/explain/catalogue.js";
import { ROOT } from "../support/cli.js";

test("every code's SARIF helpUri is a page of docs/ (and, for explanations, a heading in it)", () => {
  const base = "https://github.com/freestand-rs/freestand/blob/main/";
  const codes = [...RULES.map((r) => r.id), ...VERIFY_CODES.map((v) => v.code), ...CATALOGUE.map((e) => e.code)];
  assert.ok(codes.length > 60);
  // One map holds them all, each once.
  assert.equal(allCodes().size, codes.length);
  for (const code of codes) {
    const uri = describeCode(code)!.helpUri;
    assert.ok(uri.startsWith(base), uri);
    const [file, anchor] = uri.slice(base.length).split("#");
    const page = path.join(ROOT, file!);
    assert.ok(existsSync(page), `${code}: ${file} does not exist`);
    if (anchor) assert.match(readFileSync(page, "utf8"), new RegExp(`^## ${anchor}$`, "m"), `${code}: no heading in ${file}`);
  }
});
