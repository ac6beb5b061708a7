/**
 * docs/from-the-scripts.md maps every seed script's operations and options to shipshape. This test
 * keeps the page honest: every section and seed option is there, no row is empty, and everything the
 * shipshape column names exists — commands and their options in the CLI's real command tree (built
 * in-process), component arguments in the components' args interfaces, rule ids in the catalog, pack
 * settings in policy/shipshape.policy.json, and paths in the repository.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program";
import { IMAGE_VERIFICATION_POLICY } from "../../src/policy/image-verification-policy";
import { NETWORK_SEGMENTATION_POLICY } from "../../src/policy/network-segmentation-policy";
import { SECRET_ENV_POLICY } from "../../src/policy/secret-env-policy";
import { allRules } from "../../src/rules/catalog";
import { ROOT } from "./helpers";

const DOC = join(ROOT, "docs", "from-the-scripts.md");

/**
 * Every seed script (a section heading each) and the operations and options its usage text and
 * argument parsing had. A row of the section must name each of them in its first column.
 */
const SEED: Record<string, string[]> = {
  "scan-container-image.sh": [
    "-t",
    "--tool",
    "-s",
    "--severity",
    "-f",
    "--format",
    "-o",
    "--output",
    "-e",
    "--exit-on-failure",
    "-v",
    "--verbose",
    "-h",
    "--help",
  ],
  "secure-docker-config.sh": [
    "--config-dir",
    "--config-file",
    "--user-remap",
    "--no-seccomp",
    "--no-live-restore",
    "--enable-content-trust",
    "--experimental",
    "--verbose",
    "--help",
  ],
  "setup-docker-networks.sh": ["--prefix", "--cleanup", "--verbose", "--help"],
  "container-runtime-security.sh": [
    "--interval",
    "--log-dir",
    "--resource-threshold",
    "--runtime-limit",
    "--alert-command",
    "--containers",
    "--no-network-check",
    "--no-mount-check",
    "--no-process-check",
    "--no-resource-check",
    "--no-privilege-check",
    "--daemonize",
    "--verbose",
    "--help",
  ],
  "container-secrets-manager.sh": [
    "add",
    "remove",
    "list",
    "apply",
    "help",
    "--name",
    "--value",
    "--file",
    "--container",
    "--secrets-dir",
    "--env-file",
    "--encrypt",
    "--encryption-key",
    "--verbose",
  ],
  "docker-security-audit.sh": [
    "--compose",
    "--dockerfile",
    "--config",
    "--output",
    "--output-file",
    "--no-containers",
    "--no-images",
    "--no-networks",
    "--no-volumes",
    "--no-daemon",
    "--verbose",
    "--help",
  ],
  "secure-deployment-checker.sh": [
    "--compose",
    "--dockerfile",
    "--config",
    "--logs-dir",
    "--report-dir",
    "--output",
    "--full-check",
    "--remediate",
    "--verbose",
    "--help",
  ],
  "Dockerfile and Compose templates": ["Dockerfile.secure", "docker-compose.secure.yml"],
  "container-image-signing.sh": [
    "--init",
    "--sign",
    "--verify",
    "--key",
    "--signer",
    "--registry",
    "--key-dir",
    "--verify-only",
    "--verbose",
    "--help",
  ],
  "cis-docker-benchmark.sh": [
    "--level",
    "--output",
    "--output-file",
    "--no-host",
    "--no-daemon",
    "--no-containers",
    "--no-images",
    "--remediate",
    "--verbose",
    "--help",
  ],
  "runtime-protection.sh": [
    "--create",
    "--apply",
    "--monitor",
    "--list",
    "--delete",
    "--type",
    "--profile",
    "--container",
    "--app-type",
    "--output",
    "--template",
    "--custom",
    "--verbose",
    "--help",
  ],
  "zero-trust-networking.sh": [
    "--setup",
    "--create-policy",
    "--apply-policy",
    "--list-policies",
    "--generate-mtls",
    "--test-connectivity",
    "--prefix",
    "--config-dir",
    "--policy",
    "--service",
    "--ingress",
    "--egress",
    "--plugin",
    "--output",
    "--verbose",
    "--help",
  ],
  "ephemeral-storage-manager.sh": [
    "--create",
    "--attach",
    "--detach",
    "--backup",
    "--restore",
    "--delete",
    "--list",
    "--monitor",
    "--volume",
    "--container",
    "--mount",
    "--size",
    "--encrypted",
    "--key",
    "--temp",
    "--auto-delete",
    "--backup-path",
    "--verbose",
    "--help",
  ],
  "iac-security-scanner.sh": [
    "--dir",
    "--output",
    "--output-file",
    "--rules",
    "--no-docker",
    "--no-kubernetes",
    "--terraform",
    "--ignore",
    "--verbose",
    "--help",
  ],
  "registry-security-manager.sh": [
    "--scan",
    "--cleanup",
    "--sign",
    "--verify",
    "--push",
    "--pull",
    "--list",
    "--registry",
    "--repo",
    "--tag",
    "--output",
    "--output-file",
    "--cleanup-days",
    "--keep-tags",
    "--max-vulns",
    "--block-critical",
    "--allow-critical",
    "--block-high",
    "--signing-key",
    "--verbose",
    "--help",
  ],
  "container-observability.sh": [
    "--monitor",
    "--setup",
    "--dashboard",
    "--export",
    "--alert",
    "--analyze",
    "--container",
    "--metrics-port",
    "--tracing-port",
    "--log-level",
    "--metrics",
    "--tracing",
    "--dashboard-port",
    "--interval",
    "--output",
    "--output-file",
    "--alert-threshold",
    "--verbose",
    "--help",
  ],
  "container-security.sh": [
    "scan-image",
    "sign-image",
    "verify-image",
    "benchmark",
    "runtime",
    "network",
    "storage",
    "scan-files",
    "registry",
    "observe",
    "audit",
    "--full",
    "help",
    "--verbose",
    "--help",
  ],
  "GitLab CI pipeline": ["validate", "build", "scan", "sign", "deploy"],
};

interface Row {
  section: string;
  line: number;
  seed: string;
  shipshape: string;
  notes: string;
}

function cells(line: string): string[] {
  // Split on the table's pipes; none of the page's cells contains a pipe.
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

function parseDoc(text: string): { sections: string[]; rows: Row[] } {
  const sections: string[] = [];
  const rows: Row[] = [];
  let section = "";
  text.split("\n").forEach((line, i) => {
    const heading = /^## (.+)$/.exec(line);
    if (heading?.[1]) {
      section = heading[1].trim();
      sections.push(section);
      return;
    }
    if (!section || !line.startsWith("|")) return;
    const c = cells(line);
    if (c[0] === "seed operation / option" || /^-+$/.test(c[0] ?? "")) return;
    rows.push({ section, line: i + 1, seed: c[0] ?? "", shipshape: c[1] ?? "", notes: c[2] ?? "" });
  });
  return { sections, rows };
}

/** The backticked items of a cell. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
}

/** The CLI's command tree, as `runCli` builds it (parsing is stubbed out: nothing runs). */
function commandTree(): Command {
  let program: Command | undefined;
  const spy = vi.spyOn(Command.prototype, "parse").mockImplementation(function (this: Command) {
    program ??= this;
    return this;
  });
  try {
    runCli([], { stdout: () => {}, stderr: () => {} });
  } finally {
    spy.mockRestore();
  }
  if (!program) throw new Error("runCli built no command tree");
  return program;
}

/** Checks `shipshape <path…> [args] [--options]`: returns the problems found. */
function checkCommand(program: Command, text: string): string[] {
  const tokens = text.split(/\s+/).slice(1);
  let cmd = program;
  let i = 0;
  for (; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const sub = cmd.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!sub) break;
    cmd = sub;
  }
  const name = ["shipshape", ...tokens.slice(0, i)].join(" ");
  const problems: string[] = [];
  if (i === 0 && !tokens.slice(i).some((t) => t === "--help" || t === "--version"))
    problems.push(`\`${text}\`: no command \`${tokens[0] ?? ""}\` in shipshape`);
  if (cmd.commands.length > 0 && i > 0 && !tokens.slice(i).includes("--help"))
    problems.push(`\`${text}\`: \`${name}\` needs one of its subcommands`);
  for (const token of tokens.slice(i)) {
    if (!token.startsWith("-")) continue;
    const flag = token.split("=")[0] ?? token;
    if (flag === "--help" || flag === "-h") continue;
    const known = cmd.options.some((o) => o.long === flag || o.short === flag);
    if (!known) problems.push(`\`${text}\`: \`${name}\` has no option ${flag}`);
  }
  return problems;
}

const COMPONENTS_DIR = join(ROOT, "src", "components");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

function findInterface(name: string): string | undefined {
  const re = new RegExp(`export interface ${name}\\b`);
  return tsFiles(join(ROOT, "src")).find((f) => re.test(readFileSync(f, "utf8")));
}

/** The argument names a component accepts, nested ones included: its args file's and the interfaces it extends. */
function componentFields(component: string): Set<string> | undefined {
  const file = tsFiles(COMPONENTS_DIR).find((f) =>
    new RegExp(`export interface ${component}Args\\b`).test(readFileSync(f, "utf8")),
  );
  if (!file) return undefined;
  const files = new Set([file]);
  for (const f of [...files]) {
    for (const m of readFileSync(f, "utf8").matchAll(/export interface \w+ extends ([\w, ]+) \{/g)) {
      for (const base of (m[1] ?? "").split(",").map((s) => s.trim())) {
        const baseFile = findInterface(base);
        if (baseFile) files.add(baseFile);
      }
    }
  }
  const fields = new Set<string>();
  for (const f of files)
    for (const m of readFileSync(f, "utf8").matchAll(/^\s+(?:readonly\s+)?([A-Za-z_]\w*)\??:/gm))
      fields.add(m[1] ?? "");
  return fields;
}

function checkSpan(
  program: Command,
  span: string,
  ruleIds: Set<string>,
  pack: Record<string, unknown>,
): string[] {
  if (span.startsWith("shipshape ") || span === "shipshape") return checkCommand(program, span);
  const setting = /^shipshape\.policy\.json#(\w+)$/.exec(span);
  if (setting?.[1])
    return setting[1] in pack
      ? []
      : [`\`${span}\`: no setting ${setting[1]} in policy/shipshape.policy.json`];
  const component = /^([A-Z]\w+)((?:\.\w+)*)$/.exec(span);
  if (component?.[1]) {
    const fields = componentFields(component[1]);
    if (!fields)
      return [`\`${span}\`: no component ${component[1]} (no ${component[1]}Args in src/components)`];
    const path = (component[2] ?? "").split(".").filter(Boolean);
    return path.filter((p) => !fields.has(p)).map((p) => `\`${span}\`: ${component[1]} has no argument ${p}`);
  }
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(span))
    return ruleIds.has(span) ? [] : [`\`${span}\`: no such rule or policy`];
  if (span.includes("/"))
    return existsSync(join(ROOT, span)) ? [] : [`\`${span}\`: no such file in the repository`];
  return [`\`${span}\`: not a command, component argument, rule id, pack setting or path`];
}

describe("docs/from-the-scripts.md, the parity table with the seed scripts", () => {
  let rows: Row[];
  let sections: string[];
  beforeAll(() => {
    ({ sections, rows } = parseDoc(readFileSync(DOC, "utf8")));
  });

  it("has a section for every seed script, and each names every seed operation and option", () => {
    const missing: string[] = [];
    for (const [script, options] of Object.entries(SEED)) {
      if (!sections.includes(script)) {
        missing.push(`no section "## ${script}"`);
        continue;
      }
      const named = new Set(
        rows
          .filter((r) => r.section === script)
          .flatMap((r) => [...codeSpans(r.seed), ...r.seed.split(/[\s,()]+/)])
          .flatMap((s) => s.split(/[\s,]+/)),
      );
      for (const option of options) if (!named.has(option)) missing.push(`${script}: no row for ${option}`);
    }
    expect(missing).toEqual([]);
  });

  it("fills every row: something shipshape has, or **not offered** with a reason", () => {
    const bad: string[] = [];
    for (const r of rows) {
      if (!r.seed) bad.push(`line ${r.line}: no seed operation`);
      if (r.shipshape.includes("**not offered**")) {
        if (r.notes.length < 20) bad.push(`line ${r.line}: not offered without a reason`);
      } else if (codeSpans(r.shipshape).length === 0) {
        bad.push(`line ${r.line}: the shipshape cell names nothing`);
      }
    }
    expect(rows.length).toBeGreaterThan(150);
    expect(bad).toEqual([]);
  });

  it("names only commands, options, component arguments, rules, settings and files that exist", () => {
    const program = commandTree();
    const ruleIds = new Set([
      ...allRules.map((r) => r.id),
      SECRET_ENV_POLICY,
      NETWORK_SEGMENTATION_POLICY,
      IMAGE_VERIFICATION_POLICY,
    ]);
    const pack = JSON.parse(readFileSync(join(ROOT, "policy", "shipshape.policy.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const problems = rows.flatMap((r) =>
      codeSpans(r.shipshape).flatMap((s) =>
        checkSpan(program, s, ruleIds, pack).map((p) => `line ${r.line}: ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it("catches what does not exist", () => {
    const program = commandTree();
    expect(checkCommand(program, "shipshape scan --max-vulns 3 --block-critical IMAGE")).toEqual([]);
    expect(checkCommand(program, "shipshape scan --no-such-option")).toHaveLength(1);
    expect(checkCommand(program, "shipshape no-such-command")).toHaveLength(1);
    expect(checkCommand(program, "shipshape secrets")).toHaveLength(1);
    expect(checkCommand(program, "shipshape daemon-config --no-seccomp -o x")).toHaveLength(1);
    const none = new Set<string>();
    expect(checkSpan(program, "SecureService.resources", none, {})).toEqual([]);
    expect(checkSpan(program, "HardenedDaemon.nofileSoft", none, {})).toEqual([]);
    expect(checkSpan(program, "SecureService.noSuchArgument", none, {})).toHaveLength(1);
    expect(checkSpan(program, "NoSuchComponent.x", none, {})).toHaveLength(1);
    expect(checkSpan(program, "no-such-rule", none, {})).toHaveLength(1);
    expect(checkSpan(program, "docs/no-such-file.md", none, {})).toHaveLength(1);
    expect(checkSpan(program, "shipshape.policy.json#nope", none, { profile: "default" })).toHaveLength(1);
  });

  it("is linked from the README", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("(docs/from-the-scripts.md)");
  });
});
