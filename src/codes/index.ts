/**
 * Every code a user can meet, in one map: `check`'s rules, `verify`'s checks and the explanations of compiler and
 * linker errors. One `describeCode` for the reporters (SARIF rule metadata, human help) and `freestand explain`,
 * and one page address per code.
 */
import type { CodeDescriptor } from "../diagnostics/types.js";
import { RULES } from "../rules/index.js";
import { VERIFY_CODES } from "../elf/verify/codes/index.js";
import { CATALOGUE } from "../explain/catalogue.js";

export type CodeKind = "rule" | "verify" | "explain";

export interface CodeDef extends CodeDescriptor {
  kind: CodeKind;
  /** Whether findings of the code can carry a fix (`check --fix`); only rules do. */
  fixable: boolean;
  /** Its page: docs/rules/<code>.md, docs/verify/<code>.md or docs/explain/<code>.md (codes/docs.ts writes them). */
  helpUri: string;
}

const DOCS = "https://github.com/freestand-rs/freestand/blob/main/docs/";

function pageOf(kind: CodeKind, code: string): string {
  return `${DOCS}${kind === "rule" ? "rules" : kind}/${code}.md`;
}

function build(): ReadonlyMap<string, CodeDef> {
  const all: CodeDef[] = [
    ...RULES.map((r) => ({ code: r.id, kind: "rule" as const, defaultSeverity: r.defaultSeverity, summary: r.summary, explanation: r.explanation, fixable: r.fixable })),
    ...VERIFY_CODES.map((v) => ({ ...v, kind: "verify" as const, fixable: false })),
    ...CATALOGUE.map((e) => ({ code: e.code, kind: "explain" as const, defaultSeverity: e.defaultSeverity, summary: e.summary, explanation: e.explanation, fixable: false })),
  ].map((d) => ({ ...d, helpUri: pageOf(d.kind, d.code) }));
  const map = new Map<string, CodeDef>();
  for (const d of all) {
    // A code means one thing: a second definition is a bug of the catalogues, found at start-up.
    if (map.has(d.code)) throw new Error(`the code ${d.code} is defined twice (${map.get(d.code)!.kind} and ${d.kind})`);
    map.set(d.code, d);
  }
  return map;
}

let codes: ReadonlyMap<string, CodeDef> | undefined;

/** All codes, by code. */
export function allCodes(): ReadonlyMap<string, CodeDef> {
  codes ??= build();
  return codes;
}

export function describeCode(code: string): CodeDef | undefined {
  return allCodes().get(code);
}
