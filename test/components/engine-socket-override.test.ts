/**
 * SecureService's overrides.engineSocket: the socket bound read-only where clients look for it,
 * the group that may use it added, the reason on the container with the suppressions of exactly
 * the rules it trips; refused on Kubernetes (a hostPath) and beside a published port.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ComponentArgsError, SecureService, type SecureServiceArgs } from "../../src";
import { dockerContainerPlan } from "../../src/components/secure-service/docker";
import { buildServiceSpec } from "../../src/components/secure-service/spec";
import { runUnderMocks } from "../../src/program/mock-run";
import { composeFiles } from "../../src/render/compose";
import { auditRendering } from "./render-audit";

const REASON = "reads container stats over the Engine API, GET requests only";
const base = (over: Partial<SecureServiceArgs> = {}): SecureServiceArgs => ({
  docker: { networks: ["monitoring"] },
  image: `exporter@sha256:${"c".repeat(64)}`,
  healthCheck: { command: ["/bin/true"] },
  overrides: { engineSocket: { reason: REASON, groupId: 10900, socketPath: "/run/engine.sock" } },
  ...over,
});

function issuesOf(args: SecureServiceArgs): { path: string; message: string }[] {
  try {
    buildServiceSpec("exporter", args);
  } catch (e) {
    if (e instanceof ComponentArgsError) return e.issues;
    throw e;
  }
  return [];
}

describe("overrides.engineSocket", () => {
  it("binds the socket read-only at /var/run/docker.sock and adds its group", async () => {
    const registered = await runUnderMocks(() => new SecureService("exporter", base()));
    const container = registered.find((r) => r.type === "docker:index/container:Container");
    expect(container?.inputs.mounts).toEqual([
      { type: "bind", source: "/run/engine.sock", target: "/var/run/docker.sock", readOnly: true },
    ]);
    expect(container?.inputs.groupAdds).toEqual(["10900"]);
  });

  it("renders to Compose the same way, and the rendering audits clean under the default profile", () => {
    const { spec } = buildServiceSpec("exporter", base());
    const files = composeFiles([{ plan: dockerContainerPlan(spec), image: spec.image as string }]);
    const service = (parse(files[0]?.content ?? "") as { services: Record<string, Record<string, unknown>> })
      .services.exporter;
    expect(service?.volumes).toEqual([
      { type: "bind", source: "/run/engine.sock", target: "/var/run/docker.sock", read_only: true },
    ]);
    expect(service?.group_add).toEqual(["10900"]);
    const { findings, errors } = auditRendering(files, { profile: "default" });
    expect(errors).toEqual([]);
    // The three rules the socket trips are suppressed with the reason, none is left unused.
    expect(findings.filter((f) => f.severity !== "low").map((f) => f.ruleId)).toEqual([]);
    expect(findings.map((f) => f.ruleId)).not.toContain("suppression-unused");
  });

  it("is refused on Kubernetes and beside a published port, naming the field", () => {
    expect(issuesOf(base({ docker: undefined, kubernetes: { namespace: "obs" } }))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "overrides.engineSocket",
          message: expect.stringMatching(/hostPath/),
        }),
      ]),
    );
    expect(issuesOf(base({ ports: [{ containerPort: 9323 }] }))).toEqual([
      expect.objectContaining({
        path: "overrides.engineSocket",
        message: expect.stringMatching(/publishes no port/),
      }),
    ]);
    expect(
      issuesOf(base({ overrides: { engineSocket: { reason: "short", groupId: 10900 } } })).map((i) => i.path),
    ).toEqual(["overrides.engineSocket.reason"]);
  });
});
