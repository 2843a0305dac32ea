import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../support/cli.js";
import { BOARDS } from "../../src/targets/boards.js";

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("`freestand boards` lists every board with its chip, target, memory and console", () => {
  const r = runCli(["boards"]);
  assert.equal(r.code, 0, r.stderr);
  for (const b of BOARDS) {
    assert.match(r.stdout, new RegExp(`^${b.id} +${literally(`${b.board!.title}: ${b.board!.chip}, ${b.board!.core}; ${b.triple}`)}$`, "m"));
    assert.ok(r.stdout.includes(`console: ${b.console}; QEMU: -M ${b.board!.qemuMachine}`), b.id);
    assert.ok(r.stdout.includes(`QEMU emulates ${b.board!.emulates}; not ${b.board!.lacks}`), b.id);
  }
});

test("`freestand boards --format json` is the catalogue's records, one schema for the list and for one board", () => {
  const list = JSON.parse(runCli(["boards", "--format", "json"]).stdout) as { name: string; triple: string; memory: { origin: number; length: number }[]; qemu: string }[];
  assert.deepEqual(list.map((b) => b.name), BOARDS.map((b) => b.id));
  for (const [i, b] of BOARDS.entries()) {
    assert.equal(list[i]!.triple, b.triple);
    assert.deepEqual(list[i]!.memory.map((r) => [r.origin, r.length]), b.memory.map((r) => [r.origin, r.length]));
    assert.ok(list[i]!.qemu.startsWith(`${b.qemu!.binary} -M ${b.board!.qemuMachine}`));
    const one = JSON.parse(runCli(["boards", b.id, "--format", "json"]).stdout) as unknown;
    assert.deepEqual(one, list[i]);
  }
});

test("`freestand boards <NAME>` says what QEMU emulates and what it does not; an unknown name is one sentence and exit 2", () => {
  const r = runCli(["boards", "stm32vldiscovery"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}memory +FLASH 128 KiB at 0x0800_0000, RAM 8 KiB at 0x2000_0000 — STM32F100xB datasheet/m);
  assert.match(r.stdout, /^ {2}not emulated +the RCC/m);
  assert.match(r.stdout, /^ {2}on the board +docs\/boards\/stm32vldiscovery\.md$/m);
  const bad = runCli(["boards", "hifive"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "error: unknown board `hifive`; did you mean `hifive1`? The boards freestand knows: microbit, netduinoplus2, stm32vldiscovery, hifive1, raspi3b, mps3-an547.\n");
});

test("`freestand targets` names the boards of each target", () => {
  const json = JSON.parse(runCli(["targets", "--format", "json"]).stdout) as { id: string; boards: string[] }[];
  for (const b of BOARDS) assert.ok(json.find((t) => t.id === b.triple)!.boards.includes(b.id), b.id);
  assert.deepEqual(json.find((t) => t.id === "host")!.boards, []);
  const one = runCli(["targets", "thumbv7em-none-eabihf"]);
  assert.match(one.stdout, /^ {2}boards +netduinoplus2 \(`freestand boards`\)$/m);
});
