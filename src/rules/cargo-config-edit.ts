import path from "node:path";
import type { RuleContext } from "./context.js";
import type { TomlDocument } from "../cargo/toml.js";
import { emptyToml } from "./helpers.js";

/**
 * The `.cargo/config.toml` a fix should write: the one in the directory cargo is run from (the workspace root,
 * or the package when it is its own root). An existing file is edited; otherwise an empty document stands for
 * the file the fix creates.
 */
export function configToEdit(ctx: RuleContext): TomlDocument {
  const rootDir = ctx.crate.workspaceManifest ? path.dirname(ctx.crate.workspaceManifest.path) : ctx.crate.dir;
  const dotCargo = path.join(rootDir, ".cargo");
  const existing = ctx.crate.config.files.find((f) => path.dirname(f.path) === dotCargo);
  return existing ?? emptyToml(path.join(dotCargo, "config.toml"));
}
