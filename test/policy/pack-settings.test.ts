import { describe, expect, it } from "vitest";
import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../../src/policy";

/** A restricted pod except for one sysctl v1.37 added to the safe set and a loopback probe. */
const POD: HarnessResource = {
  type: "kubernetes:core/v1:Pod",
  name: "tuned",
  urn: "urn:pulumi:dev::proj::kubernetes:core/v1:Pod::tuned",
  props: {
    metadata: { name: "tuned", namespace: "shop" },
    spec: {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
        sysctls: [{ name: "net.ipv4.tcp_notsent_lowat", value: "131072" }],
      },
      containers: [
        {
          name: "app",
          image: "registry.example.com/shop/app:1.0",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          livenessProbe: { tcpSocket: { host: "127.0.0.1", port: 8080 } },
        },
      ],
    },
  },
};

async function reported(pack: ReturnType<typeof shipshapePolicies>, name: string) {
  const result = await evaluatePolicies(pack, [POD]);
  return result.violations.filter((v) => v.policyName === name).length;
}

describe("policy pack setting pssVersion", () => {
  it("defaults to the newest standard", async () => {
    const pack = shipshapePolicies();
    expect(await reported(pack, "unsafe-sysctls")).toBe(0);
    expect(await reported(pack, "probe-host")).toBe(1);
  });

  it("enforces an older standard: its safe sysctls, and no check it did not have", async () => {
    const pack = shipshapePolicies({ pssVersion: "v1.33" });
    expect(await reported(pack, "unsafe-sysctls")).toBe(1);
    expect(await reported(pack, "probe-host")).toBe(0);
    expect(pack.find((p) => p.name === "probe-host")?.enforcementLevel).toBe("disabled");
  });

  it("rejects a version it does not know, naming the field and the choices", () => {
    expect(() => shipshapePolicies({ pssVersion: "v1.20" })).toThrow(
      /pssVersion: must be one of v1\.25, .*latest.*"v1\.20"/s,
    );
  });
});

describe("policy pack setting parameters", () => {
  it("rejects a parameter no rule declares, naming it", () => {
    expect(() => shipshapePolicies({ parameters: { "restart-policy": { retries: 3 } } })).toThrow(
      /parameters: rule restart-policy has no parameter "retries" \(its parameters: maxRetries\)/,
    );
  });

  it("passes values to the rules", async () => {
    const pod = { ...POD, props: { ...POD.props } };
    const spec = (pod.props.spec as { securityContext: Record<string, unknown> }).securityContext;
    (pod.props.spec as Record<string, unknown>).securityContext = { ...spec, runAsUser: 5000 };
    const count = async (pack: ReturnType<typeof shipshapePolicies>) =>
      (await evaluatePolicies(pack, [pod])).violations.filter((v) => v.policyName === "run-as-high-uid")
        .length;
    expect(await count(shipshapePolicies())).toBe(1);
    expect(await count(shipshapePolicies({ parameters: { "run-as-high-uid": { minUid: 1000 } } }))).toBe(0);
  });
});
