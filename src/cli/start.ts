import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../version.js";
import { requireWithCodeCache } from "./code-cache.js";

type Program = typeof import("./program.js");

/**
 * Starts the CLI. `--version` is answered before the command-line parser and the commands load: it is the one
 * invocation scripts run to ask whether freestand is there, and it should cost little more than starting node.
 */
export async function start(args: readonly string[], name: string): Promise<void> {
  if (args.length === 1 && (args[0] === "-V" || args[0] === "--version")) {
    process.stdout.write(`freestand ${packageVersion()}\n`);
    return;
  }
  const { main } = await loadProgram();
  await main(args, name);
}

/** The installed CLI runs the bundle beside it (scripts/bundle.mjs); tsc's output runs its own modules. */
async function loadProgram(): Promise<Program> {
  const bundle = fileURLToPath(new URL("./program.cjs", import.meta.url));
  return existsSync(bundle) ? (requireWithCodeCache(bundle) as Program) : import("./program.js");
}
