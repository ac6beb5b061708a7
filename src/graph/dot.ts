/**
 * The picture of a topology: Graphviz's DOT language, laid out by Debian's `dot` (a real layout
 * engine) into SVG and PNG. Tiers are clusters (outermost first), services are nodes with their
 * ports, allowed edges are arrows with their ports, and "outside" reaches the tiers that talk to it.
 */
import { execFile, execFileSync } from "node:child_process";
import type { NetworkTopology } from "../components/segmented-networks/topology";

/** A DOT double-quoted string: quotes, backslashes and line breaks escaped, controls dropped. */
export function dotString(text: string): string {
  const escaped = text
    .replace(/[\p{Cc}]/gu, (c) => (c === "\n" ? "\\n" : ""))
    .replace(/\\(?!n)/g, "\\\\")
    .replace(/"/g, '\\"');
  return `"${escaped}"`;
}

/** Node id of a service (DOT ids are quoted strings, so any name is safe). */
const nodeId = (service: string) => dotString(`svc:${service}`);
const OUTSIDE = dotString("outside");

export function topologyDot(t: NetworkTopology): string {
  const lines = [
    `digraph ${dotString(t.prefix)} {`,
    "  rankdir=LR;",
    '  graph [fontname="Helvetica", fontsize=12];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    `  label=${dotString(`${t.prefix}: ${t.platform} segments, default deny`)};`,
  ];
  const outsideFacing = t.tiers.filter((tier) => !tier.internal);
  if (outsideFacing.length > 0)
    lines.push(`  ${OUTSIDE} [label="outside", shape=ellipse, fillcolor="#eeeeee"];`);
  t.tiers.forEach((tier, i) => {
    const members = t.services.filter((s) => s.tier === tier.name);
    lines.push(`  subgraph ${dotString(`cluster_${i}`)} {`);
    const kind = tier.internal ? "internal" : "talks to the outside";
    lines.push(
      `    label=${dotString(`tier ${tier.name} (${kind}${tier.subnet ? `, ${tier.subnet}` : ""})`)};`,
    );
    lines.push(`    style="filled"; fillcolor=${tier.internal ? '"#e8f0fe"' : '"#fff4e5"'};`);
    for (const s of members) {
      const ports = s.ports.length > 0 ? `\n:${s.ports.join(", :")}` : "";
      lines.push(`    ${nodeId(s.name)} [label=${dotString(`${s.name}${ports}`)}];`);
    }
    lines.push("  }");
  });
  for (const tier of outsideFacing)
    for (const s of t.services.filter((m) => m.tier === tier.name))
      lines.push(`  ${OUTSIDE} -> ${nodeId(s.name)} [style=dashed, dir=both, color="#888888"];`);
  for (const e of t.edges)
    lines.push(
      `  ${nodeId(e.from)} -> ${nodeId(e.to)} [label=${dotString(e.ports.length ? `:${e.ports.join(", :")}` : "any port")}];`,
    );
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Runs `dot -T<format>` over the graph; the DOT text goes on standard input. */
export async function renderDot(dot: string, format: "svg" | "png"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "dot",
      [`-T${format}`],
      { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
          reject(
            new Error(
              missing
                ? "Graphviz's dot is missing: install Debian's graphviz (scripts/setup.sh does)"
                : `dot -T${format} failed: ${stderr.toString().trim().split("\n")[0]}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
    child.stdin?.end(dot);
  });
}

/**
 * `renderDot`'s synchronous twin, for reports written in one pass (the HTML report embeds the
 * picture); `undefined` with the reason when dot is missing or fails, so the report still gets out.
 */
export function renderDotSync(dot: string, format: "svg" | "png"): { image: Buffer } | { error: string } {
  try {
    return {
      image: execFileSync("dot", [`-T${format}`], {
        input: dot,
        maxBuffer: 64 * 1024 * 1024,
        stdio: ["pipe", "pipe", "pipe"],
      }),
    };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    return {
      error:
        e.code === "ENOENT"
          ? "Graphviz's dot is missing: install Debian's graphviz (scripts/setup.sh does)"
          : `dot -T${format} failed: ${(e.stderr?.toString() ?? e.message).trim().split("\n")[0]}`,
    };
  }
}
