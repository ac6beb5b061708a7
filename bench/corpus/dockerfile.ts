import type { CorpusFile, CorpusFormat } from "./format";
import { Random } from "./random";

const BASES = [
  "node:22-alpine",
  "python:3.12-slim",
  "golang:1.23",
  "debian:bookworm-slim",
  "ubuntu:latest",
  "alpine",
];

/** Single- and multi-stage Dockerfiles; some run as root, use ADD or skip pinning. */
export const dockerfileCorpus: CorpusFormat = {
  name: "dockerfile",
  family: "dockerfile",
  count: 1_000,
  filesPerSecondTarget: 2_000,
  revision: 1,
  generate(index: number): CorpusFile {
    const r = new Random(0xd0c + index);
    const lines = ["# syntax=docker/dockerfile:1"];
    if (r.chance(0.5)) {
      lines.push(`FROM ${r.pick(BASES)} AS build`, "WORKDIR /src", "COPY . .", "RUN make build");
    }
    lines.push(`FROM ${r.pick(BASES)}`);
    if (r.chance(0.4))
      lines.push(
        "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
      );
    lines.push(
      r.chance(0.1) ? "ADD https://example.com/tool.tar.gz /opt/" : "COPY --chown=10001:10001 app /app",
    );
    if (r.chance(0.05)) lines.push("ENV API_TOKEN=changeme");
    if (r.chance(0.7)) lines.push("USER 10001:10001");
    if (r.chance(0.6))
      lines.push("HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/healthz || exit 1");
    lines.push("EXPOSE 8080", 'ENTRYPOINT ["/app/server"]', "");
    return { path: `svc-${String(index).padStart(4, "0")}/Dockerfile`, text: lines.join("\n") };
  },
};
