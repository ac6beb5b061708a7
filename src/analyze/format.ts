/** `shipshape analyze`'s report for people (text) and for programs (JSON). */
import { printable } from "../report/untrusted";
import type { ContainerAnalysis } from "./analyze";

const MI = 1024 * 1024;

export function bytes(n: number): string {
  if (n >= 1024 * MI) return `${(n / (1024 * MI)).toFixed(2)} GiB`;
  if (n >= MI) return `${(n / MI).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** The report as text; every value from the engine goes through `printable`. */
export function analysisText(a: ContainerAnalysis): string {
  const p = (s: string) => printable(s);
  const c = a.container;
  const lines: string[] = [];
  lines.push(`container ${p(c.name)} (${c.id.slice(0, 12)}) on ${p(a.engine)}`);
  lines.push(`  image          ${p(c.image)}`);
  lines.push(
    `  state          ${p(c.status)}${c.startedAt ? `, started ${c.startedAt}` : ""}${c.exitCode !== undefined ? `, exit code ${c.exitCode}` : ""}${c.oomKilled ? ", OOM-killed" : ""}`,
  );
  lines.push(`  restarts       ${c.restartCount} (restart policy ${p(c.restartPolicy)})`);
  if (c.health)
    lines.push(`  health         ${p(c.health.status)} (failing streak ${c.health.failingStreak})`);
  lines.push("");
  const r = a.resources;
  if (r) {
    lines.push(`resources over ${r.seconds} s (${r.samples} samples)`);
    lines.push(
      `  cpu            average ${r.cpu.averagePercent} %, p95 ${r.cpu.p95Percent} %, peak ${r.cpu.peakPercent} % of ${r.cpu.limitCpus !== undefined ? `its ${r.cpu.limitCpus} CPU limit` : "one CPU (no CPU limit)"}`,
    );
    lines.push(
      `  memory         average ${bytes(r.memory.averageBytes)}, peak ${bytes(r.memory.peakBytes)}${r.memory.limitBytes > 0 ? ` (${r.memory.peakPercent} % of ${bytes(r.memory.limitBytes)})` : ""}`,
    );
    lines.push(
      `  pids           peak ${r.pids.peak}${r.pids.limit !== undefined ? ` of ${r.pids.limit}` : " (no pids limit)"}`,
    );
    lines.push(`  network        received ${bytes(r.network.rxBytes)}, sent ${bytes(r.network.txBytes)}`);
    lines.push(`  block i/o      read ${bytes(r.blockIo.readBytes)}, written ${bytes(r.blockIo.writeBytes)}`);
  } else lines.push(`resources: ${p(a.resourcesNote ?? "none measured")}`);
  lines.push("");
  const h = a.history;
  lines.push(`events since ${h.since} (the engine keeps only its most recent events)`);
  lines.push(
    `  starts ${h.starts}, restarts ${h.restarts}, exits ${h.exits}${h.exitCodes.length ? ` (codes ${[...new Set(h.exitCodes)].join(", ")})` : ""}, OOM kills ${h.oomKills}, kills ${h.kills}, exec sessions ${h.execs}, turned unhealthy ${h.unhealthy}`,
  );
  for (const e of h.events.slice(-20))
    lines.push(`  ${e.time}  ${p(e.action)}${e.detail ? `  ${p(e.detail)}` : ""}`);
  lines.push("");
  if (a.findings.length === 0) lines.push("live audit: no findings");
  else {
    lines.push(`live audit: ${a.findings.length} finding${a.findings.length === 1 ? "" : "s"}`);
    for (const f of a.findings) lines.push(`  ${f.severity.padEnd(8)} ${p(f.rule)}: ${p(f.message)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The report as one JSON document (the `points` of the window included). */
export function analysisJson(a: ContainerAnalysis): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}
