import pc from "picocolors";

/**
 * A page for a terminal: the Markdown the docs hold, rendered the way `man` or `rustc --explain` reads —
 * headings in bold, `code` in cyan, code blocks indented and dim, emphasis in bold — and the Markdown markers
 * dropped. Without colour (a pipe, NO_COLOR) the page stays Markdown, unchanged.
 */
export function renderMarkdown(text: string, color: boolean): string {
  if (!color) return text;
  const c = pc.createColors(true);
  const inline = (s: string) =>
    s
      .replace(/`([^`]+)`/g, (_m, code: string) => c.cyan(code))
      .replace(/\*\*([^*]+)\*\*/g, (_m, b: string) => c.bold(b))
      .replace(/(^|[\s(])_([^_\s][^_]*)_(?=[\s).,:;]|$)/g, (_m, pre: string, i: string) => `${pre}${c.italic(i)}`);
  const out: string[] = [];
  let fence = false;
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) {
      out.push(c.dim(`    ${line}`));
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const title = inline(h[2]!);
      out.push(h[1]!.length === 1 ? c.bold(c.underline(title)) : c.bold(title));
      continue;
    }
    out.push(/^ {4}\S/.test(line) ? c.dim(line) : inline(line));
  }
  return out.join("\n");
}
