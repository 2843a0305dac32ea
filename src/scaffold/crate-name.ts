/** Cargo's rules for package names, so that `new` refuses what `cargo build` would refuse later. */

const KEYWORDS = new Set(
  (
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move " +
    "mut pub ref return self Self static struct super trait true type unsafe use where while abstract become box do " +
    "final gen macro override priv try typeof unsized virtual yield"
  ).split(" "),
);
/** Names of the built-in library crates, which a package may not shadow. */
const BUILTIN = new Set(["core", "std", "alloc", "proc_macro", "proc-macro", "test"]);
/** Directory names inside target/ that a binary of the same name would collide with. */
const ARTIFACT_DIRS = new Set(["deps", "examples", "build", "incremental"]);

/** Returns why `name` cannot be a package name, or undefined when it can. */
export function crateNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a package name cannot be empty";
  if (name.length > 64) return `\`${name}\` is longer than 64 characters, the crates.io limit`;
  const bad = [...name].find((c) => !/[A-Za-z0-9_-]/.test(c));
  if (bad !== undefined) return `\`${name}\` contains \`${bad}\`; a package name may only use letters, digits, \`-\` and \`_\``;
  if (/^[0-9]/.test(name)) return `\`${name}\` starts with a digit; a package name must start with a letter or \`_\``;
  if (name.startsWith("-")) return `\`${name}\` starts with \`-\``;
  if (KEYWORDS.has(name)) return `\`${name}\` is a Rust keyword`;
  if (BUILTIN.has(name)) return `\`${name}\` is the name of a built-in Rust library`;
  if (ARTIFACT_DIRS.has(name)) return `\`${name}\` collides with a directory cargo uses inside target/`;
  return undefined;
}
