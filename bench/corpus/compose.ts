import type { CorpusFile, CorpusFormat } from "./format";
import { Random } from "./random";

const IMAGES = [
  "registry.example.com/team/web:2.1.0",
  "postgres:16.4",
  "redis:7.2-alpine",
  "nginx:latest",
  "busybox",
];

function service(r: Random, name: string): string {
  const lines = [`  ${name}:`, `    image: ${r.pick(IMAGES)}`];
  if (r.chance(0.7)) lines.push(`    user: "${r.int(1000, 65000)}:${r.int(1000, 65000)}"`);
  if (r.chance(0.75))
    lines.push(
      "    read_only: true",
      "    cap_drop: [ALL]",
      "    security_opt:",
      "      - no-new-privileges:true",
    );
  if (r.chance(0.08)) lines.push("    privileged: true");
  if (r.chance(0.05)) lines.push("    network_mode: host");
  if (r.chance(0.06)) lines.push("    volumes:", "      - /var/run/docker.sock:/var/run/docker.sock");
  else if (r.chance(0.4)) lines.push("    volumes:", "      - data:/var/lib/data");
  if (r.chance(0.5))
    lines.push("    ports:", `      - "${r.chance(0.5) ? "127.0.0.1:" : ""}${r.int(8000, 9000)}:8080"`);
  if (r.chance(0.7))
    lines.push("    deploy:", "      resources:", '        limits: { cpus: "0.5", memory: 256M, pids: 100 }');
  if (r.chance(0.6))
    lines.push(
      "    healthcheck:",
      '      test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]',
      "      interval: 30s",
    );
  if (r.chance(0.5)) lines.push("    environment:", `      LOG_LEVEL: ${r.pick(["info", "debug"])}`);
  return lines.join("\n");
}

/** Compose files of one to four services, with networks and volumes; some with violations. */
export const composeCorpus: CorpusFormat = {
  name: "compose",
  family: "compose",
  count: 1_000,
  filesPerSecondTarget: 2_000,
  revision: 1,
  generate(index: number): CorpusFile {
    const r = new Random(0xc0de + index);
    const names = ["web", "api", "db", "cache", "worker"].slice(0, r.int(1, 4));
    const text = [
      `name: stack-${index}`,
      "services:",
      ...names.map((n) => service(r, n)),
      "networks:",
      "  backend:",
      "    internal: true",
      "volumes:",
      "  data: {}",
      "",
    ].join("\n");
    return { path: `stack-${String(index).padStart(4, "0")}/compose.yaml`, text };
  },
};
