/** EncryptedVolume under Pulumi mocks: validation before registration, the children, and SecureService mounting it. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { kubernetesPropsToResource } from "../../src/adapters/pulumi/kubernetes";
import { EncryptedVolume, type EncryptedVolumeArgs, SecureService, VolumeKind } from "../../src/components";
import { audit } from "../../src/engine/audit";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { RenderTarget, renderServices } from "../../src/render/render";

const IMAGE = `registry.example.com/shop/web@sha256:${"c".repeat(64)}`;
// biome-ignore lint/suspicious/noExplicitAny: captured inputs are plain JSON
type Inputs = Record<string, any>;
const byType = (rs: CapturedResource[], type: string): Inputs[] =>
  rs.filter((r) => r.type === type).map((r) => r.inputs as Inputs);
const KEY = "correct-horse-battery-staple-42";

async function invalid(
  args: EncryptedVolumeArgs,
  name = "state",
): Promise<{ message: string; registered: CapturedResource[] }> {
  let message = "";
  const registered = await runUnderMocks(() => {
    try {
      new EncryptedVolume(name, args);
    } catch (e) {
      message = (e as Error).message;
    }
  });
  return { message, registered };
}

describe("EncryptedVolume args", () => {
  it.each([
    [
      { docker: {}, kind: "tmpfs" as VolumeKind },
      /kind: kind must be one of ephemeral, encrypted \(got "tmpfs"\)/,
    ],
    [
      { docker: {}, kind: VolumeKind.Ephemeral, key: KEY },
      /key: key applies to Docker encrypted volumes only/,
    ],
    [
      { kubernetes: {}, kind: VolumeKind.Encrypted },
      /storageClass: a Kubernetes encrypted volume needs the storage class/,
    ],
    [
      { docker: {}, kind: VolumeKind.Encrypted, owner: "0:0" },
      /owner: owner must be a numeric, non-root "uid:gid".*\(got "0:0"\)/,
    ],
    [{ docker: {}, kind: VolumeKind.Ephemeral, size: "1" }, /size: size must be a quantity with a unit/],
    [
      { docker: {}, kind: VolumeKind.Encrypted, storeDirectory: "relative/dir" },
      /storeDirectory: storeDirectory must be a normalized absolute host directory/,
    ],
    [
      {
        docker: {},
        kind: VolumeKind.Encrypted,
        backupOnDestroy: { directory: "/backups", recipients: ["ssh-ed25519 AAAA"] },
      },
      /backupOnDestroy.recipients.0: .*age recipients starting with "age1"/,
    ],
    [{ kind: VolumeKind.Ephemeral }, /docker: a EncryptedVolume needs a target/],
    [
      { docker: {}, kind: VolumeKind.Ephemeral, size: pulumi.output("8Mi") },
      /size: size decides which resources are created/,
    ],
  ])("rejects args %# before registering anything", async (args, pattern) => {
    const { message, registered } = await invalid(args as EncryptedVolumeArgs);
    expect(message).toMatch(pattern);
    expect(registered).toEqual([]);
  });

  it("never shows the key in a message", async () => {
    const { message } = await invalid({ docker: {}, kind: VolumeKind.Encrypted, key: "short-secret" });
    expect(message).toMatch(/key: the volume key must be at least 16 characters/);
    expect(message).not.toContain("short-secret");
  });
});

describe("EncryptedVolume on Docker", () => {
  it("encrypted: a gocryptfs mount (key secret) bound by a named volume, and the key generated when none is given", async () => {
    const rs = await runUnderMocks(() => {
      new EncryptedVolume("state", {
        docker: {},
        kind: VolumeKind.Encrypted,
        userNamespaceRemap: "dockremap",
      });
    });
    expect(rs.map((r) => r.type)).toEqual([
      "shipshape:index:EncryptedVolume",
      "random:index/randomPassword:RandomPassword",
      "pulumi-nodejs:dynamic/shipshape:EncryptedMount",
      "docker:index/volume:Volume",
    ]);
    const [mount] = byType(rs, "pulumi-nodejs:dynamic/shipshape:EncryptedMount");
    expect(mount).toMatchObject({
      volume: "state",
      storeDirectory: "/var/lib/shipshape/volumes",
      uid: 10001,
      gid: 10001,
      userNamespaceRemap: "dockremap",
      generation: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const [vol] = byType(rs, "docker:index/volume:Volume");
    expect(vol).toMatchObject({ name: "state", driver: "local", driverOpts: { type: "none", o: "bind" } });
    // The component records its args without the key.
    const [component] = byType(rs, "shipshape:index:EncryptedVolume");
    expect(component).not.toHaveProperty("key");
  });

  it("ephemeral: no children; SecureService mounts it as a noexec,nosuid,nodev tmpfs owned by the service's user", async () => {
    const rs = await runUnderMocks(() => {
      const scratch = new EncryptedVolume("scratch", {
        docker: {},
        kind: VolumeKind.Ephemeral,
        size: "16Mi",
      });
      const state = new EncryptedVolume("state", {
        docker: {},
        kind: VolumeKind.Encrypted,
        key: KEY,
        owner: "20001:20001",
      });
      new SecureService("web", {
        docker: {},
        image: IMAGE,
        user: "20001:20001",
        healthCheck: { command: ["/app/health"] },
        volumes: [
          { volume: scratch.volumeRef, mountPath: "/scratch" },
          { volume: state.volumeRef, mountPath: "/data", readOnly: true },
          { name: "legacy", mountPath: "/legacy" },
        ],
      });
    });
    const [c] = byType(rs, "docker:index/container:Container");
    expect(c?.tmpfs).toEqual({
      "/scratch": "rw,noexec,nosuid,nodev,size=16777216,uid=20001,gid=20001,mode=0700",
    });
    expect(c?.mounts).toEqual([
      { type: "volume", source: "legacy", target: "/legacy", readOnly: false },
      { type: "volume", source: "state", target: "/data", readOnly: true },
    ]);
    // The host mount's generation, one label per reference: a remount replaces the container.
    const labels = Object.fromEntries(((c?.labels ?? []) as Inputs[]).map((l) => [l.label, l.value]));
    expect(labels["shipshape.io/volume-generation.0"]).toBe("none");
    expect(labels["shipshape.io/volume-generation.1"]).toMatch(/^[0-9a-f]{16}$/);
    expect(labels["shipshape.io/suppress.pids-limit"]).toMatch(/nproc ulimit/);
  });

  it("SecureService refuses a volume owned by another user when the reference resolves, naming the field", async () => {
    // The engine reports an error thrown while resolving an input; here it surfaces as a rejection.
    const failures: unknown[] = [];
    const record = (e: unknown) => failures.push(e);
    process.on("unhandledRejection", record);
    try {
      await runUnderMocks(() => {
        const state = new EncryptedVolume("state", { docker: {}, kind: VolumeKind.Encrypted, key: KEY });
        new SecureService("web", {
          docker: {},
          image: IMAGE,
          user: "20001:20001",
          healthCheck: { command: ["/app/health"] },
          volumes: [{ volume: state.volumeRef, mountPath: "/data" }],
        });
      });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off("unhandledRejection", record);
    }
    expect(String(failures[0])).toMatch(
      /volumes\.0\.volume: the volume is owned by 10001:10001 and the service runs as 20001:20001/,
    );
  });

  it("SecureService needs exactly one of name and volume", async () => {
    let message = "";
    await runUnderMocks(() => {
      try {
        new SecureService("web", {
          docker: {},
          image: IMAGE,
          healthCheck: { command: ["/app/health"] },
          volumes: [{ name: "a", volume: "{}", mountPath: "/data" }],
        });
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(message).toMatch(/volumes\.0: give exactly one of name .* and volume/);
  });
});

describe("EncryptedVolume on Kubernetes", () => {
  it("encrypted: a claim on the named class; ephemeral: an emptyDir in memory; both mounted by the Deployment", async () => {
    const rs = await runUnderMocks(() => {
      const data = new EncryptedVolume("data", {
        kubernetes: { namespace: "shop" },
        kind: VolumeKind.Encrypted,
        storageClass: "encrypted-ssd",
        size: "1Gi",
      });
      const scratch = new EncryptedVolume("scratch", {
        kubernetes: { namespace: "shop" },
        kind: VolumeKind.Ephemeral,
        size: "32Mi",
      });
      new SecureService("web", {
        kubernetes: { namespace: "shop" },
        image: IMAGE,
        healthCheck: { httpGetPath: "/healthz", port: 8080 },
        ports: [{ containerPort: 8080 }],
        volumes: [
          { volume: data.volumeRef, mountPath: "/data" },
          { volume: scratch.volumeRef, mountPath: "/scratch" },
        ],
      });
    });
    const [claim] = byType(rs, "kubernetes:core/v1:PersistentVolumeClaim");
    expect(claim).toMatchObject({
      metadata: { name: "data", namespace: "shop" },
      spec: {
        storageClassName: "encrypted-ssd",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: "1Gi" } },
      },
    });
    const [deployment] = byType(rs, "kubernetes:apps/v1:Deployment");
    const pod = deployment?.spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: "ref-0", persistentVolumeClaim: { claimName: "data", readOnly: false } },
      { name: "ref-1", emptyDir: { medium: "Memory", sizeLimit: "32Mi" } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: "ref-0", mountPath: "/data", readOnly: false },
      { name: "ref-1", mountPath: "/scratch", readOnly: false },
    ]);
    // The claim, as the policy pack sees it: flagged unless its class is listed as encrypted.
    const resource = kubernetesPropsToResource(
      "kubernetes:core/v1:PersistentVolumeClaim",
      claim as Inputs,
      "data",
      {
        format: "pulumi",
        file: "urn:claim",
        location: { file: "urn:claim", line: 1, column: 1 },
        locations: new Map(),
      },
    );
    expect(resource).toBeDefined();
    const only = ["pvc-unencrypted-storage-class"];
    expect(audit(resource ? [resource] : [], { only })).toHaveLength(1);
    expect(
      audit(resource ? [resource] : [], {
        only,
        parameters: { "pvc-unencrypted-storage-class": { encryptedStorageClasses: "encrypted-ssd" } },
      }),
    ).toEqual([]);
  });
});

describe("shipshape render", () => {
  it("refuses a service mounting an EncryptedVolume instead of dropping the mount", () => {
    const args = {
      docker: {},
      image: IMAGE,
      healthCheck: { command: ["/app/health"] },
      volumes: [{ volume: '{"format":"shipshape-volume/1"}', mountPath: "/data" }],
    };
    for (const target of [RenderTarget.Compose, RenderTarget.Kubernetes])
      expect(() => renderServices([{ name: "web", args }], target)).toThrow(
        /volumes\.0\.volume mounts an EncryptedVolume.*deploy with pulumi up/,
      );
  });
});
