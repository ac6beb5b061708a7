// Verifies the reference stack's secret files (scripts/main.sh step 7). Reads the stack's outputs,
// secrets revealed, on standard input (never argv), and prints one "ok|FAIL <container> <what>"
// line per secret file; no value is ever printed. For each file: it holds its secret, is owned by
// the container's uid with mode 0400 (-r--------), another uid cannot read it, and the value (raw,
// base64, hex) is in neither `docker inspect` nor the container's environment.
"use strict";
const { execFileSync } = require("node:child_process");

const out = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const docker = (args) => {
  try {
    return { ok: true, out: execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    return { ok: false, out: String(e.stderr ?? "") };
  }
};
for (const f of out.secretFiles ?? []) {
  const value = (out.secrets ?? {})[f.secret];
  if (typeof value !== "string" || value === "") {
    console.log(`FAIL ${f.container} ${f.path}: the stack exports no value for ${f.secret}`);
    continue;
  }
  const needles = [value, Buffer.from(value).toString("base64"), Buffer.from(value).toString("hex")];
  const listing = docker(["exec", f.container, "ls", "-ln", f.path]).out.split(/\s+/);
  const uid = docker(["inspect", "--format", "{{.Config.User}}", f.container]).out.trim().split(":")[0];
  const content = docker(["exec", f.container, "cat", f.path]);
  const other = docker(["exec", "--user", "65533:65533", f.container, "cat", f.path]);
  const inspect = docker(["inspect", f.container]);
  const environ = docker(["exec", f.container, "cat", "/proc/1/environ"]);
  const leaked = needles.some((n) => inspect.out.includes(n) || environ.out.includes(n));
  const ok =
    listing[0] === "-r--------" &&
    listing[2] === uid &&
    content.ok &&
    content.out === value &&
    !other.ok &&
    inspect.ok &&
    environ.ok &&
    !leaked;
  console.log(
    `${ok ? "ok" : "FAIL"} ${f.container} ${f.path} holds its secret (owner uid ${listing[2]}, ${listing[0]}; another uid cannot read it; not in inspect or env)`,
  );
}
