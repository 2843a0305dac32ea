/** The editions `freestand new` writes (a module of its own: the CLI reads it for `--help` without the scaffolder). */
export const EDITIONS = ["2024", "2021"] as const;
export type Edition = (typeof EDITIONS)[number];
