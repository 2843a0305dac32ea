import { test } from "node:test";
import assert from "node:assert/strict";
import { renderText } from "../../src/templates/render.js";
import { crateNameProblem } from "../../src/scaffold/crate-name.js";

const vars = { name: "blinky-led", crate: "blinky_led", edition: "2024", rust_version: "1.85", triple: "thumbv7m-none-eabi", target: "thumbv7m-none-eabi" };

test("placeholders are replaced", () => {
  assert.equal(renderText('name = "{{name}}" # {{crate}} {{edition}} {{triple}}', vars, {}), 'name = "blinky-led" # blinky_led 2024 thumbv7m-none-eabi');
});

test("conditional lines: the marker lines go, the block stays or goes with its flag", () => {
  const src = "a\n// {{#if alloc}}\nheap\n// {{/if}}\n// {{#unless alloc}}\nno heap\n// {{/unless}}\nb";
  assert.equal(renderText(src, vars, { alloc: true }), "a\nheap\nb");
  assert.equal(renderText(src, vars, { alloc: false }), "a\nno heap\nb");
});

test("nested blocks keep a line only when every enclosing block keeps it", () => {
  const src = "# {{#if a}}\nA\n# {{#if b}}\nAB\n# {{/if}}\n# {{/if}}";
  assert.equal(renderText(src, vars, { a: true, b: false }), "A");
  assert.equal(renderText(src, vars, { a: false, b: true }), "");
});

test("template mistakes are reported with the file and line", () => {
  assert.throws(() => renderText("{{nope}}", vars, {}, "t.rs"), /t\.rs: unknown placeholder \{\{nope\}\}/);
  assert.throws(() => renderText("x\n// {{#if what}}\n", vars, {}, "t.rs"), /t\.rs:2: unknown template flag `what`/);
  assert.throws(() => renderText("// {{#if alloc}}\n", vars, { alloc: true }, "t.rs"), /not closed/);
  assert.throws(() => renderText("// {{/if}}\n", vars, {}, "t.rs"), /without an opening block/);
});

test("crate names follow cargo's rules", () => {
  for (const ok of ["hello", "hello-world", "hello_world", "_private", "a1"]) assert.equal(crateNameProblem(ok), undefined, ok);
  for (const bad of ["", "1a", "-a", "a.b", "a b", "é", "self", "std", "alloc", "test", "build", "x".repeat(65)]) assert.ok(crateNameProblem(bad), bad);
});
