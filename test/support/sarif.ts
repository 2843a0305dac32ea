import assert from "node:assert/strict";
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./cli.js";

/**
 * Validates a SARIF log with Microsoft's own validator (`@microsoft/sarif-multitool`, a devDependency): the test
 * fails on any error or warning it reports. npm 11 skips the package's postinstall `chmod u+x` unless approved,
 * so the binary is made executable here.
 */
const VALIDATOR = path.join(ROOT, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

function validator(): string {
  try {
    accessSync(VALIDATOR, constants.X_OK);
  } catch {
    chmodSync(VALIDATOR, 0o755);
  }
  return VALIDATOR;
}

export function assertValidSarif(text: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "freestand-sarif-"));
  try {
    const log = path.join(dir, "log.sarif");
    writeFileSync(log, text);
    // Without ICU installed, .NET needs its invariant mode to start at all.
    const r = spawnSync(validator(), ["validate", log, "--output", path.join(dir, "validation.sarif")], {
      encoding: "utf8",
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
      timeout: 120_000,
    });
    assert.equal(r.error, undefined, `the SARIF validator did not run: ${r.error?.message}`);
    const findings = `${r.stdout}${r.stderr}`.split("\n").filter((l) => /: (?:error|warning) [A-Z]+\d+:/.test(l));
    assert.deepEqual(findings, [], "the SARIF validator found problems");
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
