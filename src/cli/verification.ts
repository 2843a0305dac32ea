import pc from "picocolors";
import { formatHumanDiagnostic } from "../diagnostics/reporters/human.js";
import { verifyVerdict, type VerifyResult } from "../elf/verify/index.js";
import { describeCode } from "../codes/index.js";

/** `verify`'s findings for one binary (if any) and its verdict line, as `build` and `run` print them. */
export function formatVerification(result: VerifyResult, color: boolean): string {
  const c = pc.createColors(color);
  const findings = result.diagnostics.map((d) => formatHumanDiagnostic(d, { color, describe: describeCode }));
  const failed = result.diagnostics.some((d) => d.severity === "error");
  const verdict = `${failed ? c.red(c.bold("Verified")) : c.green(c.bold("Verified"))} ${verifyVerdict(result)}`;
  return [...findings, verdict].join("\n");
}
