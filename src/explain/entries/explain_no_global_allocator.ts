import type { ExplainEntry } from "../entry.js";

export const explainNoGlobalAllocator: ExplainEntry = {
  code: "explain_no_global_allocator",
  title: "no global memory allocator found",
  summary: "`alloc` is used but no `#[global_allocator]` exists",
  defaultSeverity: "error",
  rule: "alloc_without_global_allocator",
  fixtures: ["no-global-allocator"],
  explanation: `\`Box\`, \`Vec\`, \`String\` and \`format!\` allocate through the global allocator, which \`std\` provides and
\`no_std\` does not. Declare one: a \`static\` implementing \`core::alloc::GlobalAlloc\` marked \`#[global_allocator]\`,
yours or from a crate (\`embedded-alloc\`, \`linked_list_allocator\`, \`talc\`), over a memory region you reserve.

Caught before compiling by \`freestand check\` (\`alloc_without_global_allocator\`).`,
  match(ctx) {
    if (!/^no global memory allocator found/.test(ctx.msg.message)) return undefined;
    return {
      message: "`alloc` is used, but nothing declares a `#[global_allocator]` (without `std` there is none by default)",
      help: [
        "add a `#[global_allocator] static ALLOCATOR: ... ` implementing `core::alloc::GlobalAlloc` (for example from `embedded-alloc` or `linked_list_allocator`), or stop using `alloc`",
      ],
    };
  },
};
