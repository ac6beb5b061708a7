import { closeSync, ftruncateSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** 50 MiB: five times shipshape's limit. */
export const HUGE_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Writes one file of each kind of bad input into `dir` and returns their names. The 50 MiB
 * file is sparse, so it costs no disk space.
 */
export function writeBadInputs(dir: string) {
  const files = {
    unparseable: "unparseable.yaml",
    binary: "binary.yaml",
    huge: "huge.yaml",
    aliasBomb: "alias-bomb.yaml",
    deepFlow: "deep-flow.yaml",
    deepJson: "deep.json",
    malformed: "malformed.yaml",
  };
  writeFileSync(
    join(dir, files.unparseable),
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n  labels: {}\n",
  );
  writeFileSync(
    join(dir, files.binary),
    Buffer.concat([Buffer.from("apiVersion: v1\n"), Buffer.from([0, 1, 2, 0xff, 0xfe, 0])]),
  );
  const fd = openSync(join(dir, files.huge), "w");
  ftruncateSync(fd, HUGE_FILE_BYTES);
  closeSync(fd);
  // Nine levels of ten aliases each: a billion strings once expanded.
  const bomb = [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: { name: lol }",
    "data:",
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    bomb.push(`  ${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
  }
  writeFileSync(join(dir, files.aliasBomb), `${bomb.join("\n")}\n`);
  writeFileSync(
    join(dir, files.deepFlow),
    `apiVersion: v1\nkind: Pod\nspec: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`,
  );
  writeFileSync(
    join(dir, files.deepJson),
    `{"apiVersion":"v1","kind":"Pod","spec":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`,
  );
  writeFileSync(
    join(dir, files.malformed),
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: listy\nspec:\n  - containers: []\n",
  );
  return files;
}

/** What each bad input's error message must say. */
export const BAD_INPUT_MESSAGES: Record<string, RegExp> = {
  unparseable: /invalid YAML/,
  binary: /binary file/,
  huge: /file is 50\.0 MiB; shipshape reads files up to 10 MiB/,
  aliasBomb: /too many YAML aliases.*billion laughs/,
  deepFlow: /nests about \d+ levels deep/,
  deepJson: /nests about \d+ levels deep/,
  malformed: /Pod "listy" is invalid, not audited: spec: expected a mapping, got a list/,
};
