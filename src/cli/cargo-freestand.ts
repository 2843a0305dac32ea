#!/usr/bin/env node
import { start } from "./start.js";

// cargo runs `cargo-freestand freestand <args>` for `cargo freestand <args>`: drop the repeated subcommand name.
const args = process.argv.slice(2);
if (args[0] === "freestand") args.shift();
await start(args, "cargo freestand");
