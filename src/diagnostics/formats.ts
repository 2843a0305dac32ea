/** The output formats every diagnostic-reporting command accepts (kept apart from the reporters: the CLI
 * needs the names at start-up, the reporters only when something is printed). */
export type OutputFormat = "human" | "json" | "sarif";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["human", "json", "sarif"];
