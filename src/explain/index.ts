export type { CompilerLocation, CompilerMessage, ExplainCounts, ExplainedMessage, ExplainOptions, ExplainResult } from "./types.js";
export type { ExplainEntry, Finding, MatchContext, CrateOrigin } from "./entry.js";
export { CATALOGUE, findExplainEntry } from "./catalogue.js";
export { Explainer, explainCargoMessages, explainText } from "./explainer.js";
export { normaliseCargoMessage, parseJsonLines } from "./cargo-json.js";
export { TextReader, forEachLine, stripAnsi, type TextBlock } from "./text.js";
export { parseLinkerOutput, type LinkerReport, type SymbolReference } from "./linker.js";
export { annotateText, renderExplained, formatExplanations, formatExplainSummary, describeExplainCode } from "./report.js";
export { explainDocMarkdown } from "./docs.js";
