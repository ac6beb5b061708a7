import { describe, expect, it } from "vitest";
import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../../src/policy";

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DIGEST = `sha256:${"b".repeat(64)}`;

function container(name: string, props: Record<string, unknown>): HarnessResource {
  return {
    type: "docker:index/container:Container",
    name,
    urn: `urn:pulumi:dev::proj::docker:index/container:Container::${name}`,
    props: { image: `registry.example.com/app@${DIGEST}`, ...props },
  };
}

/** Props of a container hardened the way SecureService renders one. */
const HARDENED = {
  user: "10001:10001",
  readOnly: true,
  privileged: false,
  capabilities: { drops: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  memory: 256,
  cpus: "0.5",
  restart: "on-failure",
  maxRetryCount: 3,
  healthcheck: { tests: ["CMD", "/bin/true"] },
  ports: [{ internal: 8080, external: 18080, ip: "127.0.0.1" }],
  logDriver: "json-file",
  logOpts: { "max-size": "10m", "max-file": "3" },
};

const policies = shipshapePolicies();

function byPolicy(result: Awaited<ReturnType<typeof evaluatePolicies>>, name: string) {
  return result.violations.filter((v) => v.policyName === name);
}

describe("policy pack on raw docker.Container resources", () => {
  it("reports a privileged container as a mandatory violation", async () => {
    const result = await evaluatePolicies(policies, [container("bad", { ...HARDENED, privileged: true })]);
    const found = byPolicy(result, "privileged-container");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ enforcementLevel: "mandatory", urn: expect.stringContaining("::bad") });
  });

  it("does not report the PSS checks on a hardened container", async () => {
    const result = await evaluatePolicies(policies, [container("good", HARDENED)]);
    for (const id of [
      "privileged-container",
      "privilege-escalation",
      "run-as-non-root",
      "drop-all-capabilities",
    ]) {
      expect(byPolicy(result, id), id).toEqual([]);
    }
  });

  it("passes types no rule looks at, and marks exempted resources not applicable with the reason", async () => {
    const result = await evaluatePolicies(policies, [
      {
        type: "random:index/randomPet:RandomPet",
        name: "pet",
        urn: "urn:pulumi:dev::proj::random:index/randomPet:RandomPet::pet",
        props: {},
      },
    ]);
    expect(result.violations).toEqual([]);
    const exempted = await evaluatePolicies(
      shipshapePolicies({
        exemptions: [
          { rule: "privileged-container", resource: "agent", reason: "node agent, reviewed in SEC-7" },
        ],
      }),
      [container("agent", { ...HARDENED, privileged: true })],
    );
    expect(exempted.violations.filter((v) => v.policyName === "privileged-container")).toEqual([]);
    expect(exempted.notApplicable).toContainEqual(
      expect.objectContaining({
        policyName: "privileged-container",
        reason: "exempted: node agent, reviewed in SEC-7",
      }),
    );
  });

  it("skips fields that are unknown during preview instead of failing or guessing", async () => {
    const result = await evaluatePolicies(policies, [
      container("preview", { ...HARDENED, privileged: UNKNOWN_STRING, image: UNKNOWN_STRING }),
    ]);
    expect(byPolicy(result, "privileged-container")).toEqual([]);
    // The rest of the resource is still checked.
    const bad = await evaluatePolicies(policies, [
      container("preview-bad", {
        ...HARDENED,
        image: UNKNOWN_STRING,
        securityOpts: ["no-new-privileges:false"],
      }),
    ]);
    expect(byPolicy(bad, "privilege-escalation")).toHaveLength(1);
  });

  it("remediates fixable violations so that the remediated props pass", async () => {
    const raw = container("fixme", { ...HARDENED, privileged: true, securityOpts: [], capabilities: {} });
    const config = {
      "privileged-container": "remediate",
      "privilege-escalation": "remediate",
      "drop-all-capabilities": "remediate",
    } as const;
    const result = await evaluatePolicies(policies, [raw], { config });
    const fixed = result.remediated.get(raw.urn);
    expect(fixed).toMatchObject({ privileged: false, securityOpts: ["no-new-privileges:true"] });
    expect((fixed?.capabilities as { drops?: string[] } | undefined)?.drops).toContain("ALL");
    const again = await evaluatePolicies(policies, [{ ...raw, props: fixed ?? {} }]);
    for (const id of Object.keys(config)) expect(byPolicy(again, id), id).toEqual([]);
  });

  it("honours suppression labels with a reason and reports ones without", async () => {
    const suppressed = container("allowed", {
      ...HARDENED,
      privileged: true,
      labels: [
        { label: "shipshape.io/suppress.privileged-container", value: "runs the node's storage driver" },
      ],
    });
    const result = await evaluatePolicies(policies, [suppressed]);
    expect(byPolicy(result, "privileged-container")).toEqual([]);
    const unreasoned = container("unreasoned", {
      ...HARDENED,
      privileged: true,
      labels: [{ label: "shipshape.io/suppress.privileged-container", value: "because" }],
    });
    const r2 = await evaluatePolicies(policies, [unreasoned]);
    expect(byPolicy(r2, "privileged-container")).toHaveLength(1);
    expect(byPolicy(r2, "suppression-reason-required")).toHaveLength(1);
  });

  it("applies exemptions from the pack options and from policy config", async () => {
    const withOptions = shipshapePolicies({
      exemptions: [
        { rule: "privileged-container", resource: "legacy-*", reason: "migrating off by Q3, ticket OPS-12" },
      ],
    });
    const result = await evaluatePolicies(withOptions, [
      container("legacy-agent", { ...HARDENED, privileged: true }),
    ]);
    expect(byPolicy(result, "privileged-container")).toEqual([]);
    const viaConfig = await evaluatePolicies(
      policies,
      [container("legacy-agent", { ...HARDENED, privileged: true })],
      {
        config: {
          "privileged-container": {
            exemptions: [{ resource: "legacy-agent", reason: "documented exception" }],
          },
        },
      },
    );
    expect(byPolicy(viaConfig, "privileged-container")).toEqual([]);
  });

  it("enforces an allow-list of registries when one is configured", async () => {
    const pack = shipshapePolicies({ allowedRegistries: ["registry.example.com"] });
    const ok = await evaluatePolicies(pack, [container("ok", HARDENED)]);
    expect(byPolicy(ok, "image-registry-allowed")).toEqual([]);
    const hub = await evaluatePolicies(pack, [container("hub", { ...HARDENED, image: "nginx:1.27" })]);
    expect(byPolicy(hub, "image-registry-allowed")).toEqual([
      expect.objectContaining({
        enforcementLevel: "mandatory",
        message: expect.stringContaining("docker.io"),
      }),
    ]);
  });

  it("derives levels from profile and severity, and rejects bad options with the field named", async () => {
    const baseline = shipshapePolicies({ profile: "baseline" });
    const level = (pack: typeof policies, name: string) =>
      pack.find((p) => p.name === name)?.enforcementLevel;
    expect(level(baseline, "privileged-container")).toBe("mandatory");
    expect(level(baseline, "run-as-non-root")).toBe("disabled");
    expect(level(shipshapePolicies({ levels: { "run-as-non-root": "advisory" } }), "run-as-non-root")).toBe(
      "advisory",
    );
    expect(() => shipshapePolicies({ profile: "strictest" })).toThrow(/profile.*strictest/s);
    expect(() => shipshapePolicies({ exemptions: [{ resource: "x", reason: "short" }] })).toThrow(
      /exemptions\.0\.reason/,
    );
  });
});
