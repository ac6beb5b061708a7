import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadComposeFile } from "../../src/sources/compose-file";
import { cliInProcess, removeDir } from "./helpers";

const COMPOSE = `services:
  web:
    image: registry.example.com/shop/web:1.4 # the storefront
    ports:
      - "8080:80"
      - target: 443
        published: 8443
      - "127.0.0.1:9090:9090"
`;

describe("audit --fix --bind-ports", () => {
  it("binds ports published on every interface to the given address, and only when asked", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipshape-bind-"));
    try {
      const file = join(dir, "compose.yaml");
      writeFileSync(file, COMPOSE);
      const plain = cliInProcess(["audit", file, "--rule", "ports-all-interfaces", "--fix"]);
      expect(plain.code).toBe(1);
      expect(readFileSync(file, "utf8")).toBe(COMPOSE);

      const bound = cliInProcess([
        "audit",
        file,
        "--rule",
        "ports-all-interfaces",
        "--fix",
        "--bind-ports",
        "127.0.0.1",
      ]);
      expect(bound.code).toBe(0);
      expect(bound.stdout).toMatch(/2 fixes applied/);
      const text = readFileSync(file, "utf8");
      expect(text).toContain("# the storefront");
      const ports = loadComposeFile(file, text).resources.flatMap((r) =>
        r.kind === "workload" ? r.containers.flatMap((c) => c.ports) : [],
      );
      expect(ports.map((p) => [p.hostIP, p.hostPort, p.containerPort])).toEqual([
        ["127.0.0.1", 8080, 80],
        ["127.0.0.1", 8443, 443],
        ["127.0.0.1", 9090, 9090],
      ]);
    } finally {
      removeDir(dir);
    }
  });

  it("rejects an address that is not an IP, naming the option", () => {
    const run = cliInProcess(["audit", "compose.yaml", "--bind-ports", "localhost:80"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--bind-ports' got "localhost:80"/);
  });
});
