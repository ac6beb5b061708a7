/**
 * SecretStore and SecureService's secret files under Pulumi mocks: bad input fails before
 * anything is registered; on Docker the files go through a never-started loader into read-only
 * volumes; on Kubernetes a Secret and secret volumes pass Pod Security restricted and the audit's
 * secret rules; the policy pack accepts what is registered.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Deployment as DeploymentModel } from "kubernetes-models/apps/v1/Deployment";
import { Secret as SecretModel } from "kubernetes-models/v1/Secret";
import { describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import {
  SecretStore,
  type SecretStoreArgs,
  SecureService,
  type SecureServiceArgs,
} from "../../src/components";
import { kubernetesManifests } from "../../src/components/secure-service/kubernetes";
import { buildServiceSpec } from "../../src/components/secure-service/spec";
import { audit } from "../../src/engine/audit";
import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../../src/policy";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { runProgram } from "../../src/program/run-program";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

const DIGEST_IMAGE = `registry.example.com/shop/web@sha256:${"c".repeat(64)}`;
// biome-ignore lint/suspicious/noExplicitAny: captured inputs are plain JSON
type Inputs = Record<string, any>;
const CONTAINER = "docker:index/container:Container";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Captured inputs with Pulumi's secret wrappers taken off. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (SECRET_SIG in o) return plain(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const service = (extra: Partial<SecureServiceArgs>): SecureServiceArgs => ({
  docker: {},
  image: DIGEST_IMAGE,
  healthCheck: { command: ["/app/health"] },
  ...extra,
});

async function registeredBy(program: () => void): Promise<{ resources: CapturedResource[]; error?: Error }> {
  let error: Error | undefined;
  const resources = await runUnderMocks(() => {
    try {
      program();
    } catch (e) {
      error = e as Error;
    }
  });
  return error ? { resources, error } : { resources };
}

describe("bad input fails before anything is registered", () => {
  const cases: [string, () => void, RegExp][] = [
    [
      "an empty secret value",
      () => new SecretStore("s", { secrets: [{ name: "api-key", value: "" }] }),
      /secrets\.0\.value: the secret is empty; give a value \(got a string \(not shown: it may be a secret\)\)/,
    ],
    [
      "an empty secret file",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "s15-"));
        writeFileSync(join(dir, "empty"), "");
        new SecretStore("s", { secrets: [{ name: "api-key", file: join(dir, "empty") }] });
      },
      /secrets\.0\.file: is empty; an empty secret protects nothing \(got ".*empty"\)/,
    ],
    [
      "a duplicate name",
      () =>
        new SecretStore("s", {
          secrets: [{ name: "api-key" }, { name: "api-key", value: "x".repeat(20) }],
        }),
      /secrets\.1\.name: two secrets have this name; names are unique in a store \(got "api-key"\)/,
    ],
    [
      "a value given as undefined (an unset config key)",
      () => new SecretStore("s", { secrets: [{ name: "api-key", value: undefined }] }),
      /secrets\.0\.value: value is given but undefined \(an unset config key\?\)/,
    ],
    [
      "two paths giving one Kubernetes Secret key",
      () =>
        new SecureService(
          "web",
          service({
            secretFiles: [
              { value: pulumi.secret("a"), path: "/run/secrets/a.b/c" },
              { value: pulumi.secret("b"), path: "/run/secrets/a/b.c" },
            ],
          }),
        ),
      /secretFiles: these paths give the same Secret key "a\.b\.c"; rename one/,
    ],
    [
      "a bad name",
      () => new SecretStore("s", { secrets: [{ name: "API KEY" }] }),
      /secrets\.0\.name: a secret's name is lowercase letters/,
    ],
    [
      "two sources for one secret",
      () => new SecretStore("s", { secrets: [{ name: "k", value: "x".repeat(20), length: 20 }] }),
      /secrets\.0: give one of value, file and length/,
    ],
    [
      "a path outside /run/secrets",
      () =>
        new SecureService(
          "web",
          service({ secretFiles: [{ value: pulumi.secret("v"), path: "/etc/api-key" }] }),
        ),
      /secretFiles\.0\.path: secret files live under \/run\/secrets\/ .*\(got "\/etc\/api-key"\)/,
    ],
    [
      "a path leaving /run/secrets",
      () =>
        new SecureService(
          "web",
          service({ secretFiles: [{ value: pulumi.secret("v"), path: "/run/secrets/../etc/x" }] }),
        ),
      /secretFiles\.0\.path: secret files live under \/run\/secrets\//,
    ],
    [
      "a mode wider than 0440",
      () =>
        new SecureService(
          "web",
          service({ secretFiles: [{ value: pulumi.secret("v"), path: "/run/secrets/k", mode: 0o644 }] }),
        ),
      /secretFiles\.0\.mode: a secret file's mode is 0o400 .* nothing wider than 0440.*\(got "0o644"\)/,
    ],
    [
      "an empty plain secret file value",
      () => new SecureService("web", service({ secretFiles: [{ value: "", path: "/run/secrets/k" }] })),
      /secretFiles\.0\.value: the secret is empty.*\(got a string \(not shown: it may be a secret\)\)/,
    ],
    [
      "two secret files at one path",
      () =>
        new SecureService(
          "web",
          service({
            secretFiles: [
              { value: pulumi.secret("a"), path: "/run/secrets/k" },
              { value: pulumi.secret("b"), path: "/run/secrets/k" },
            ],
          }),
        ),
      /secretFiles\.1\.path: two secret files have one path/,
    ],
    [
      "a secret directory that is a writable path",
      () =>
        new SecureService(
          "web",
          service({
            writablePaths: ["/run/secrets"],
            secretFiles: [{ value: pulumi.secret("a"), path: "/run/secrets/k" }],
          }),
        ),
      /secretFiles\.0\.path: the secret's directory \/run\/secrets overlaps the writable path or volume \/run\/secrets/,
    ],
  ];
  for (const [what, program, message] of cases) {
    it(what, async () => {
      const { resources, error } = await registeredBy(program);
      expect(error?.message).toMatch(message);
      expect(resources).toEqual([]);
    });
  }

  it("never shows a secret value in a message", async () => {
    const value = "hunter2-hunter2-hunter2";
    const { error } = await registeredBy(
      () =>
        new SecureService(
          "web",
          service({
            secretFiles: [
              { value, path: "/etc/x" },
              { value, path: "/run/secrets/x", mode: 0o777 },
            ],
          }),
        ),
    );
    expect(error?.message).toMatch(/secretFiles\.0\.path/);
    expect(error?.message).toMatch(/secretFiles\.1\.mode/);
    expect(error?.message).not.toContain(value);
  });
});

describe("SecretStore", () => {
  it("generates with @pulumi/random (version in its keepers), reads files, keeps given values, all as secrets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s15-"));
    writeFileSync(join(dir, "token"), "file-token-value");
    let store: SecretStore | undefined;
    const resources = await runUnderMocks(() => {
      // The mocks give the RandomPassword no result: the generated value is not looked at here.
      store = new SecretStore("app", {
        secrets: [
          { name: "session-key", length: 40, version: 3 },
          { name: "token", file: join(dir, "token") },
          { name: "api-key", value: pulumi.secret("given-api-key") },
        ],
      });
    });
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["shipshape:index:SecretStore", "app"],
      ["random:index/randomPassword:RandomPassword", "app-session-key"],
    ]);
    expect(resources[1]?.inputs).toMatchObject({ length: 40, special: false, keepers: { version: "3" } });
    const s = store as SecretStore;
    const [values, secret, names, versions] = await new Promise<
      [Record<string, string>, boolean, string[], object]
    >((resolve) =>
      pulumi
        .all([s.values, pulumi.isSecret(s.values), s.names, s.versions])
        .apply(([v, sec, n, ver]) => resolve([v, sec, n, ver])),
    );
    expect(secret).toBe(true);
    expect(names).toEqual(["session-key", "token", "api-key"]);
    expect(versions).toEqual({ "session-key": 3, token: 1, "api-key": 1 });
    expect(Object.keys(values)).toEqual(["session-key", "token", "api-key"]);
    expect(values.token).toBe("file-token-value");
    expect(values["api-key"]).toBe("given-api-key");
    expect(await new Promise((r) => pulumi.isSecret(s.value("api-key")).then(r))).toBe(true);
    expect(() => s.value("nope")).toThrow(
      /SecretStore app holds no secret "nope"; it holds "session-key", "token", "api-key"/,
    );
  });
});

describe("SecretStore env file", () => {
  it("is written only when asked, mode 0600, NAME=value lines, with a warning that env files leak", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s15-env-"));
    const path = join(dir, "app.env");
    const warnings: string[] = [];
    const warn = vi.spyOn(pulumi.log, "warn").mockImplementation(async (message: string) => {
      warnings.push(message);
    });
    try {
      let store: SecretStore | undefined;
      await runUnderMocks(() => {
        store = new SecretStore("app", {
          secrets: [
            { name: "api-key", value: pulumi.secret("given-api-key") },
            { name: "db.password", value: "plain-given" },
          ],
          envFile: true,
          envFilePath: path,
        });
      });
      const written = await new Promise<string>((r) => (store as SecretStore).envFilePath.apply(r));
      expect(written).toBe(path);
      expect(readFileSync(path, "utf8")).toBe("API_KEY=given-api-key\nDB_PASSWORD=plain-given\n");
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(warnings.join("\n")).toMatch(
        /Env files leak: a container started with --env-file shows each value in docker inspect/,
      );
      expect(warnings.join("\n")).not.toContain("given-api-key");
    } finally {
      warn.mockRestore();
    }
    // Without envFile nothing is written and nothing warns.
    const none = mkdtempSync(join(tmpdir(), "s15-env-"));
    let quiet: SecretStore | undefined;
    await runUnderMocks(() => {
      quiet = new SecretStore("app", { secrets: [{ name: "k", value: "v".repeat(20) }] });
    });
    expect(await new Promise((r) => (quiet as SecretStore).envFilePath.apply(r))).toBe("");
    expect(readdirSync(none)).toEqual([]);
  });

  it("is not written when shipshape check or render only run the program", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "s15-env-")), "inspected.env");
    process.env.SHIPSHAPE_TEST_ENV_FILE = path;
    try {
      const resources = await runProgram(join(__dirname, "../fixtures/programs/secret-store-env-file"), {
        project: "check",
        stack: "check",
      });
      expect(resources.map((r) => r.type)).toEqual(["shipshape:index:SecretStore"]);
      // Give the output's apply every chance to run.
      await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(path)).toBe(false);
    } finally {
      delete process.env.SHIPSHAPE_TEST_ENV_FILE;
    }
  });

  it("refuses envFilePath without envFile", async () => {
    const { error, resources } = await registeredBy(
      () => new SecretStore("app", { secrets: [{ name: "k" }], envFilePath: "x.env" }),
    );
    expect(error?.message).toMatch(/envFilePath: envFilePath needs envFile: true/);
    expect(resources).toEqual([]);
  });
});

/** The Docker resources of a service with two secret files from a store. */
async function dockerWithSecrets(): Promise<CapturedResource[]> {
  return runUnderMocks(() => {
    // Given values: the mocks give a RandomPassword no result.
    const store = new SecretStore("app", {
      secrets: [
        { name: "session-key", value: pulumi.secret("given-session-key") },
        { name: "api-key", value: pulumi.secret("given-api-key") },
      ],
    });
    new SecureService(
      "web",
      service({
        replicas: 2,
        secretFiles: [
          { value: store.value("session-key"), path: "/run/secrets/session-key" },
          { value: store.value("api-key"), path: "/run/secrets/api-key", mode: 0o440 },
        ],
      }),
    );
  });
}

describe("SecureService secret files on Docker", () => {
  it("loads the files through a never-started loader into volumes the containers mount read-only", async () => {
    const rs = await dockerWithSecrets();
    const volumes = rs.filter((r) => r.type === "docker:index/volume:Volume").map((r) => r.inputs as Inputs);
    expect(volumes.map((v) => v.name)).toEqual(["web-secrets-0"]);
    const containers = rs.filter((r) => r.type === CONTAINER).map((r) => r.inputs as Inputs);
    expect(containers.map((c) => c.name)).toEqual(["web-secrets", "web-0", "web-1"]);
    const [loader, ...replicas] = containers as [Inputs, ...Inputs[]];
    expect(loader).toMatchObject({
      start: false,
      mustRun: false,
      networkMode: "none",
      capabilities: { drops: ["ALL"] },
      mounts: [{ type: "volume", source: "web-secrets-0", target: "/run/secrets" }],
    });
    expect(loader.user).toBeUndefined();
    expect((loader.uploads as Inputs)[SECRET_SIG]).toBeDefined();
    expect(
      (plain(loader.uploads) as Inputs[]).map((u: Inputs) => [u.file, u.owner, u.group, u.permissions]),
    ).toEqual([
      ["/run/secrets/session-key", "10001", "10001", "0400"],
      ["/run/secrets/api-key", "10001", "10001", "0440"],
    ]);
    for (const c of replicas) {
      expect(c.readOnly).toBe(true);
      expect(c.envs).toEqual([]);
      expect(c.mounts).toEqual([
        { type: "volume", source: "web-secrets-0", target: "/run/secrets", readOnly: true },
      ]);
      expect(c.labels).toContainEqual({ label: "shipshape.io/secret-files", value: "web-secrets-id" });
    }
  });

  it("passes the policy pack: the loader's two suppressions are used, nothing else is reported", async () => {
    const rs = await dockerWithSecrets();
    const resources: HarnessResource[] = rs
      .filter((r) => r.type.startsWith("docker:"))
      .map((r) => ({
        type: r.type,
        name: r.name,
        urn: `urn:pulumi:dev::proj::${r.type}::${r.name}`,
        props: JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>,
      }));
    const result = await evaluatePolicies(shipshapePolicies(), resources);
    const names = result.violations.map((v) => `${v.policyName} ${v.urn?.split("::").pop()}`);
    expect(names.filter((n) => !n.startsWith("image-not-verified"))).toEqual([]);
  });
});

describe("SecureService secret files on Kubernetes", () => {
  const args = service({
    docker: undefined,
    kubernetes: { namespace: "shop" },
    secretFiles: [
      { value: "rendered-placeholder", path: "/run/secrets/web/session-key" },
      { value: "rendered-placeholder", path: "/run/secrets/api/key", mode: 0o440 },
    ],
  });

  it("renders a Secret and secret volumes with defaultMode 0400, mounted read-only", () => {
    const m = kubernetesManifests(buildServiceSpec("web", args).spec);
    expect(m.secret).toMatchObject({
      kind: "Secret",
      type: "Opaque",
      immutable: true,
      metadata: { name: "web-secrets", namespace: "shop" },
      stringData: { "web.session-key": "rendered-placeholder", "api.key": "rendered-placeholder" },
    });
    const pod = m.deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.slice(0, 2)).toEqual([
      {
        name: "secrets-0",
        secret: {
          secretName: "web-secrets",
          defaultMode: 0o400,
          items: [{ key: "api.key", path: "key", mode: 0o440 }],
        },
      },
      {
        name: "secrets-1",
        secret: {
          secretName: "web-secrets",
          defaultMode: 0o400,
          items: [{ key: "web.session-key", path: "session-key", mode: 0o400 }],
        },
      },
    ]);
    expect(pod.containers[0].volumeMounts.slice(0, 2)).toEqual([
      { name: "secrets-0", mountPath: "/run/secrets/api", readOnly: true },
      { name: "secrets-1", mountPath: "/run/secrets/web", readOnly: true },
    ]);
    expect(pod.containers[0].env).toEqual([]);
  });

  it("is valid against the Kubernetes schema (Secret, Deployment)", () => {
    const m = kubernetesManifests(buildServiceSpec("web", args).spec);
    type Model = new (data: unknown) => { validate(): void };
    const Secret = SecretModel as unknown as Model;
    const Deployment = DeploymentModel as unknown as Model;
    expect(() => new Secret(m.secret).validate()).not.toThrow();
    expect(() => new Deployment(m.deployment).validate()).not.toThrow();
    // The validator is live: a mode as a string is refused.
    const broken = structuredClone(m.deployment);
    broken.spec.template.spec.volumes[0].secret.defaultMode = "0400";
    expect(() => new Deployment(broken).validate()).toThrow(/defaultMode/);
  });

  it("passes Pod Security restricted and the audit's secret rules", () => {
    const m = kubernetesManifests(buildServiceSpec("web", args).spec);
    const docs = [m.serviceAccount, m.networkPolicy, m.secret, m.deployment].filter((d) => d !== undefined);
    const loaded = loadKubernetesFile("k8s.yaml", docs.map((d) => stringify(d)).join("---\n"));
    expect(loaded.errors).toEqual([]);
    const restricted = audit(loaded.resources, { profile: "restricted" });
    expect(restricted.map((f) => f.ruleId)).toEqual([]);
    const all = audit(loaded.resources, {});
    expect(all.filter((f) => /secret/.test(f.ruleId)).map((f) => f.ruleId)).toEqual([]);
    expect(all.map((f) => f.ruleId)).toEqual([]);
  });

  it("registers an immutable, auto-named Secret the Deployment's volumes name, its values secrets", async () => {
    const rs = await runUnderMocks(() => {
      new SecureService("web", {
        ...args,
        secretFiles: [{ value: pulumi.secret("v1"), path: "/run/secrets/k" }],
      });
    });
    const secret = rs.find((r) => r.type === "kubernetes:core/v1:Secret");
    expect(secret?.name).toBe("web-secrets");
    const inputs = (secret?.inputs ?? {}) as Inputs;
    expect(inputs.immutable).toBe(true);
    expect(inputs.metadata.name).toBeUndefined();
    const deployment = rs.find((r) => r.type === "kubernetes:apps/v1:Deployment")?.inputs as Inputs;
    // The name is the Secret's auto-name (the mocks give none): the volume is otherwise complete.
    expect(deployment.spec.template.spec.volumes[0].secret).toMatchObject({
      defaultMode: 0o400,
      items: [{ key: "k", path: "k", mode: 0o400 }],
    });
  });
});

describe("secret-store args types", () => {
  it("are plain data", () => {
    const a: SecretStoreArgs = { secrets: [{ name: "x" }] };
    expect(a.secrets).toHaveLength(1);
  });
});
