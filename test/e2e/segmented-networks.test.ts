/**
 * SegmentedNetworks through the real Pulumi CLI on the real Docker engine: a three-tier program
 * (web → api → db, and an audit service nobody may reach) whose ConnectivityProbe measures the
 * matrix during `up`; the measured matrix equals the declared graph pair by pair; adding one edge
 * changes exactly one network and the two containers it joins, and the probe shows the new edge;
 * `destroy` leaves nothing behind. Everything is named ss17-…, and afterAll always cleans up.
 * Fails when the toolchain or the engine is missing, unless SHIPSHAPE_SKIP_PULUMI=1.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliProcess, ensureBuilt } from "../cli/helpers";
import { docker, freePort, PulumiWorkspace, REPO, requireToolchain, skipPulumi } from "./pulumi-cli";

const run = promisify(execFile);
const PROJECT = "ss17-three-tier";
const STACK = "e2e";
const IMAGE = "ss17-net/app:1";

interface Cell {
  from: string;
  to: string;
  port: number;
  open: boolean;
  expected: boolean;
}

/** The open (from → to) pairs of a matrix. */
const openPairs = (cells: Cell[]) =>
  cells
    .filter((c) => c.open)
    .map((c) => `${c.from}>${c.to}`)
    .sort();

describe.skipIf(skipPulumi)("SegmentedNetworks on the local Docker engine (real CLI)", () => {
  const prefix = `ss17-${randomBytes(3).toString("hex")}`;
  let ws: PulumiWorkspace;
  let dir: string;
  let deployed = false;
  const stack = (args: string[], timeout?: number) => ws.pulumiOk([...args, "--stack", STACK], dir, timeout);
  const outputs = async () =>
    JSON.parse((await stack(["stack", "output", "--json"])).stdout) as {
      attachments: Record<string, string[]>;
      networks: string[];
      matrix: Cell[];
      table: string;
    };

  beforeAll(async () => {
    await requireToolchain();
    // The programs load the package as a user's do, from dist/: built fresh from src first.
    await ensureBuilt();
    await run("bash", [join(REPO, "stacks/docker/build-image.sh"), IMAGE]);
    ws = new PulumiWorkspace("ss17-segments");
    dir = ws.stage(PROJECT, join(REPO, "test/e2e/programs/three-tier.ts"));
    await ws.pulumiOk(["stack", "init", STACK], dir);
    const config = { prefix, image: IMAGE, webPort: String(await freePort()) };
    for (const [k, v] of Object.entries(config))
      await ws.pulumiOk(["config", "set", "--stack", STACK, k, v], dir);
  }, 300_000);

  afterAll(async () => {
    if (!ws) return;
    try {
      if (deployed) await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], dir, 300_000);
    } finally {
      const mine = (out: string) => out.split("\n").filter((n) => n.startsWith(prefix));
      const containers = mine(await docker(["ps", "--all", "--format", "{{.Names}}"]).catch(() => ""));
      if (containers.length) await docker(["rm", "--force", ...containers]).catch(() => "");
      const nets = mine(await docker(["network", "ls", "--format", "{{.Name}}"]).catch(() => ""));
      if (nets.length) await docker(["network", "rm", ...nets]).catch(() => "");
      ws.dispose();
    }
  }, 300_000);

  it("a subnet that overlaps one of the engine's networks fails up before any network is created", async () => {
    const subnet = `10.231.${100 + (process.pid % 100)}.0/24`;
    await docker(["network", "create", "--internal", "--subnet", subnet, `${prefix}-blocker`]);
    try {
      await ws.pulumiOk(["config", "set", "--stack", STACK, "edgeSubnet", subnet], dir);
      deployed = true;
      const failed = await ws.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], dir, 300_000);
      expect(failed.code, failed.output).not.toBe(0);
      expect(failed.output).toContain(
        `tiers.0.subnet: ${subnet} overlaps the engine's network "${prefix}-blocker" (${subnet})`,
      );
      const nets = (await docker(["network", "ls", "--format", "{{.Name}}"])).split("\n");
      expect(nets.filter((n) => n.startsWith(prefix))).toEqual([`${prefix}-blocker`]);
    } finally {
      // Free again: the next up creates the edge tier's network with that subnet.
      await docker(["network", "rm", `${prefix}-blocker`]);
    }
  }, 400_000);

  it("up: the measured matrix equals the declared graph, pair by pair", async () => {
    deployed = true;
    const up = await stack(["up", "--yes", "--skip-preview"], 400_000);
    expect(up.output).toMatch(/\+ \d+ created/);
    const out = await outputs();
    // Docker joins an edge's services both ways: each edge is open in both directions, nothing else.
    expect(openPairs(out.matrix)).toEqual(["api>db", "api>web", "db>api", "web>api"]);
    for (const c of out.matrix) expect(c.open, `${c.from} → ${c.to}:${c.port}`).toBe(c.expected);
    // The forbidden pairs were measured, and are closed.
    expect(out.matrix).toContainEqual({ from: "web", to: "db", port: 5432, open: false, expected: false });
    expect(out.matrix.filter((c) => c.to === "audit").map((c) => c.open)).toEqual([false, false, false]);
    expect(out.table).toContain("the network allows exactly what the graph declares");
    // The containers joined exactly their networks.
    const joined = async (service: string) =>
      Object.keys(
        JSON.parse(
          await docker(["inspect", "--format", "{{json .NetworkSettings.Networks}}", `${prefix}-${service}`]),
        ),
      ).sort();
    expect(await joined("web")).toEqual([`${prefix}-edge-api.web`, `${prefix}-tier-edge`]);
    expect(await joined("db")).toEqual([`${prefix}-edge-api.db`]);
    expect(await joined("audit")).toEqual([`${prefix}-solo-audit`]);
    const internal = await docker([
      "network",
      "inspect",
      "--format",
      "{{.Internal}}",
      `${prefix}-edge-api.db`,
    ]);
    expect(internal).toBe("true");
    expect(
      await docker([
        "network",
        "inspect",
        "--format",
        "{{(index .IPAM.Config 0).Subnet}}",
        `${prefix}-tier-edge`,
      ]),
    ).toMatch(/^10\.231\.\d+\.0\/24$/);
  }, 600_000);

  it("a second up changes nothing", async () => {
    const again = await stack(["up", "--yes", "--skip-preview"], 300_000);
    expect(again.output).not.toMatch(/[+~-]\d* (created|updated|deleted|replaced)/);
  }, 300_000);

  it("adding an edge changes exactly the attachments needed, and the probe shows it", async () => {
    await ws.pulumiOk(["config", "set", "--stack", STACK, "auditEdge", "true"], dir);
    const preview = await stack(["preview", "--json"], 300_000);
    // What changes on the engine: custom resources (components only record their new args).
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps
      .filter(
        (s) =>
          s.op !== "same" && !(s.urn.split("::")[2] ?? "").split("$").pop()?.startsWith("shipshape:index:"),
      )
      .map((s) => `${s.op} ${s.urn.split("::").pop()}`)
      .sort();
    // One new network, and audit's network of its own goes; the two containers the edge joins are
    // replaced (Docker attaches networks at creation); the probe measures again. Nothing else.
    expect(steps).toEqual([
      `create ${prefix}-edge-api.audit`,
      `delete ${prefix}-solo-audit`,
      `replace ${prefix}-api`,
      `replace ${prefix}-audit`,
      `update ${prefix}-probe`,
    ]);
    await stack(["up", "--yes", "--skip-preview"], 400_000);
    const out = await outputs();
    expect(openPairs(out.matrix)).toEqual([
      "api>audit",
      "api>db",
      "api>web",
      "audit>api",
      "db>api",
      "web>api",
    ]);
    expect(out.attachments.audit).toEqual([`${prefix}-edge-api.audit`]);
  }, 700_000);

  it("shipshape netcheck measures the same matrix from the stack's topology output", async () => {
    await ensureBuilt();
    const file = join(ws.dir, "topology.json");
    writeFileSync(file, (await stack(["stack", "output", "topology", "--json"])).stdout);
    const text = await cliProcess(["netcheck", "--topology", file, "--probe-image", IMAGE], ws.dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/api → audit:7000\s+open\s+allowed\s+ok/);
    expect(text.stdout).toMatch(/web → db:5432\s+closed\s+denied\s+ok/);
    const json = await cliProcess(
      ["netcheck", "--topology", file, "--probe-image", IMAGE, "--format", "json"],
      ws.dir,
    );
    expect(json.code, json.stderr).toBe(0);
    const measured = JSON.parse(json.stdout) as { cells: Cell[]; differences: Cell[] };
    expect(measured.differences).toEqual([]);
    expect(openPairs(measured.cells)).toEqual([
      "api>audit",
      "api>db",
      "api>web",
      "audit>api",
      "db>api",
      "web>api",
    ]);
    // --service (the seed's --test-connectivity): only the connections from and to one service.
    const one = await cliProcess(
      ["netcheck", "--topology", file, "--probe-image", IMAGE, "--format", "json", "--service", "db"],
      ws.dir,
    );
    expect(one.code, one.stderr).toBe(0);
    const cells = (JSON.parse(one.stdout) as { cells: Cell[] }).cells;
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.from === "db" || c.to === "db")).toBe(true);
    expect(openPairs(cells)).toEqual(["api>db", "db>api"]);
    expect(cells.filter((c) => c.from === "web" && c.to === "db").map((c) => c.open)).toEqual([false]);
  }, 300_000);

  it("a connection the graph does not declare fails the next up, printing the matrix", async () => {
    // Drift: db joined to the web front's tier network by hand.
    await docker(["network", "connect", `${prefix}-edge-api.web`, `${prefix}-db`]);
    const file = join(ws.dir, "topology.json");
    const cli = await cliProcess(["netcheck", "--topology", file, "--probe-image", IMAGE], ws.dir);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/db → web:8080\s+open\s+denied\s+DIFFERENT/);
    const result = await ws.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK], dir, 400_000);
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain(
      "ConnectivityProbe: the network does not allow exactly what the graph declares",
    );
    expect(result.output).toMatch(/db → web:8080\s+open\s+denied\s+DIFFERENT/);
    await docker(["network", "disconnect", `${prefix}-edge-api.web`, `${prefix}-db`]);
  }, 500_000);

  it("destroy leaves no container or network behind", async () => {
    await stack(["destroy", "--yes", "--skip-preview"], 400_000);
    deployed = false;
    expect(
      (await docker(["ps", "--all", "--format", "{{.Names}}"]))
        .split("\n")
        .filter((n) => n.startsWith(prefix)),
    ).toEqual([]);
    expect(
      (await docker(["network", "ls", "--format", "{{.Name}}"]))
        .split("\n")
        .filter((n) => n.startsWith(prefix)),
    ).toEqual([]);
  }, 400_000);
});
