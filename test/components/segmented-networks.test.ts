/** SegmentedNetworks: its validation (before anything is registered) and its children under Pulumi mocks. */
import { describe, expect, it } from "vitest";
import {
  ComponentArgsError,
  ConnectivityProbe,
  type NetworkTopology,
  SecureService,
  SegmentedNetworks,
  type SegmentedNetworksArgs,
  SegmentedNetworksArgsError,
} from "../../src/components";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";

// biome-ignore lint/suspicious/noExplicitAny: captured inputs are plain JSON
type Inputs = Record<string, any>;
const IMAGE = `registry.example.com/shop/web@sha256:${"c".repeat(64)}`;

/** edge → app → data, with the web front outside-facing. */
const threeTier = (): SegmentedNetworksArgs => ({
  docker: {},
  prefix: "shop",
  tiers: [{ name: "edge", internal: false }, { name: "app" }, { name: "data" }],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "api", tier: "app", ports: [9000] },
    { name: "db", tier: "data", ports: [5432] },
  ],
  edges: [
    { from: "web", to: "api" },
    { from: "api", to: "db", ports: [5432] },
  ],
});

function issuesOf(args: SegmentedNetworksArgs): { path: string; message: string }[] {
  try {
    new SegmentedNetworks("shop", args);
  } catch (e) {
    expect(e).toBeInstanceOf(SegmentedNetworksArgsError);
    return (e as SegmentedNetworksArgsError).issues;
  }
  throw new Error("the args were accepted");
}

const networks = (rs: CapturedResource[]) =>
  rs.filter((r) => r.type === "docker:index/network:Network").map((r) => r.inputs as Inputs);

describe("SegmentedNetworks validation (nothing registered)", () => {
  it("rejects overlapping subnets, naming both fields", async () => {
    const args = threeTier();
    args.tiers[0] = { name: "edge", internal: false, subnet: "10.30.0.0/16" };
    args.edges = [
      { from: "web", to: "api", subnet: "10.30.4.0/28" },
      { from: "api", to: "db", subnet: "10.40.0.0/28" },
    ];
    let registered: CapturedResource[] = [];
    const run = runUnderMocks(() => {
      new SegmentedNetworks("shop", args);
    }).then((rs) => {
      registered = rs;
    });
    await expect(run).rejects.toThrow(/edges\.0\.subnet: overlaps 10\.30\.0\.0\/16 of tiers\.0\.subnet/);
    expect(registered).toEqual([]);
  });

  it("rejects an invalid subnet with the fix", () => {
    const args = threeTier();
    args.tiers[0] = { name: "edge", internal: false, subnet: "10.30.0.1/24" };
    expect(issuesOf(args)).toEqual([
      {
        path: "tiers.0.subnet",
        value: "10.30.0.1/24",
        message: "subnet has host bits set: write its network address, 10.30.0.0/24",
      },
    ]);
  });

  it("rejects an edge to an unknown service, listing the known ones", () => {
    const args = threeTier();
    args.edges = [{ from: "web", to: "cache" }];
    const [issue, ...rest] = issuesOf(args);
    expect(rest).toEqual([]);
    expect(issue?.path).toBe("edges.0.to");
    expect(issue?.message).toContain('"web", "api", "db"');
  });

  it("rejects a cycle that makes the data tier public, naming the cycle", () => {
    const args = threeTier();
    args.edges?.push({ from: "db", to: "web" });
    const issues = issuesOf(args);
    expect(issues.map((i) => i.path)).toEqual(["edges.2"]);
    expect(issues[0]?.message).toContain("closes the cycle db → web → api → db");
    expect(issues[0]?.message).toContain("would make the internal tier public");
  });

  it("rejects a port the target does not listen on, an unknown tier and a subnet on an internal tier", () => {
    const args = threeTier();
    args.edges = [{ from: "web", to: "api", ports: [22] }];
    args.services.push({ name: "cache", tier: "memory" });
    args.tiers[2] = { name: "data", subnet: "10.9.0.0/24" };
    expect(issuesOf(args).map((i) => i.path)).toEqual(["tiers.2.subnet", "services.3.tier", "edges.0.ports"]);
  });

  it("wants plain values and exactly one target", () => {
    expect(issuesOf({ ...threeTier(), docker: undefined }).map((i) => i.path)).toEqual(["docker"]);
    expect(issuesOf({ ...threeTier(), docker: { networks: ["x"] } }).map((i) => i.path)).toEqual([
      "docker.networks",
    ]);
  });
});

describe("SegmentedNetworks on Docker (mocks)", () => {
  it("makes one internal network per edge and an outside-facing tier network without inter-container traffic", async () => {
    const rs = await runUnderMocks(() => {
      new SegmentedNetworks("shop", threeTier());
    });
    const nets = networks(rs);
    expect(nets.map((n) => [n.name, n.internal, n.options["com.docker.network.bridge.enable_icc"]])).toEqual([
      ["shop-tier-edge", false, "false"],
      ["shop-edge-api.web", true, "true"],
      ["shop-edge-api.db", true, "true"],
    ]);
  });

  it("checks given subnets against the engine first (a preflight), and only then", async () => {
    const args = threeTier();
    args.tiers[0] = { name: "edge", internal: false, subnet: "10.30.0.0/24" };
    const rs = await runUnderMocks(() => {
      new SegmentedNetworks("shop", args);
    });
    const preflight = rs.filter((r) => r.name === "shop-subnets");
    expect(preflight).toHaveLength(1);
    expect((preflight[0] as CapturedResource).inputs.subnets).toEqual([
      { path: "tiers.0.subnet", subnet: "10.30.0.0/24", network: "shop-tier-edge" },
    ]);
    expect(networks(rs).find((n) => n.name === "shop-tier-edge")?.ipamConfigs).toEqual([
      { subnet: "10.30.0.0/24" },
    ]);
    const none = await runUnderMocks(() => {
      new SegmentedNetworks("shop", threeTier());
    });
    expect(none.filter((r) => r.name === "shop-subnets")).toEqual([]);
  });

  it("gives a service with no edge an internal network of its own, never the default bridge", async () => {
    const args = threeTier();
    args.services.push({ name: "batch", tier: "app" });
    const rs = await runUnderMocks(() => {
      new SegmentedNetworks("shop", args);
    });
    expect(networks(rs).find((n) => n.name === "shop-solo-batch")).toMatchObject({ internal: true });
  });

  it("joins a SecureService to its attachments, labelled with its topology name", async () => {
    const rs = await runUnderMocks(() => {
      const segments = new SegmentedNetworks("shop", threeTier());
      new SecureService("shop-api", {
        docker: {},
        image: IMAGE,
        healthCheck: { command: ["/app/health"] },
        segment: { networks: segments.attachments, service: "api" },
      });
    });
    const container = rs.find((r) => r.type === "docker:index/container:Container")?.inputs as Inputs;
    expect(container.networksAdvanced.map((n: { name: string }) => n.name).sort()).toEqual([
      "shop-edge-api.db",
      "shop-edge-api.web",
    ]);
    expect(container.labels).toContainEqual({ label: "shipshape.io/segment-service", value: "api" });
    // No network of its own.
    expect(networks(rs).map((n) => n.name)).not.toContain("shop-api-net");
  });
});

describe("SecureService's segment", () => {
  const base = { image: IMAGE, healthCheck: { command: ["/app/health"] } };
  const issues = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return (e as SegmentedNetworksArgsError).issues.map((i) => i.path);
    }
    throw new Error("accepted");
  };
  it("is refused with docker.networks, without networks, and on Kubernetes under another name", () => {
    expect(
      issues(
        () => new SecureService("api", { ...base, docker: { networks: ["x"] }, segment: { networks: {} } }),
      ),
    ).toEqual(["docker.networks"]);
    expect(
      issues(
        () =>
          new SecureService("api", {
            ...base,
            docker: {},
            segment: {} as { networks: Record<string, string[]> },
          }),
      ),
    ).toEqual(["segment.networks"]);
    expect(
      issues(
        () =>
          new SecureService("shop-api", {
            ...base,
            kubernetes: { namespace: "shop" },
            segment: { networks: {}, service: "api" },
          }),
      ),
    ).toEqual(["segment.service"]);
  });
});

describe("ConnectivityProbe args (nothing registered)", () => {
  it("names each bad field", async () => {
    let registered: CapturedResource[] = [];
    const run = runUnderMocks(() => {
      new ConnectivityProbe("probe", {
        topology: undefined as unknown as NetworkTopology,
        containers: [] as unknown as Record<string, string[]>,
        probeImage: "",
        connectTimeoutSeconds: 0,
        attempts: 2.5,
      });
    }).then((rs) => {
      registered = rs;
    });
    await expect(run).rejects.toThrow(ComponentArgsError);
    await run.catch((e: ComponentArgsError) => {
      expect(e.issues.map((i) => i.path)).toEqual([
        "topology",
        "probeImage",
        "containers",
        "connectTimeoutSeconds",
        "attempts",
      ]);
    });
    expect(registered).toEqual([]);
  });
});
