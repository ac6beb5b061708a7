/**
 * SignedImage under the real Pulumi CLI, the real loopback registry, trivy, cosign and the
 * engine: a vulnerable image is never pushed; a fixed one is pushed, scanned, signed, verified
 * and run by digest, cosign verifies it, the policy pack sees it as verified, a second `up`
 * changes nothing and the key is never in the state in plaintext; a tampered signature and a
 * registry that is down fail the deployment, naming why; destroy removes what it made.
 */
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegistryClient } from "../../src/registry";
import { generateSigningKeyPair, SIGNATURE_ANNOTATION, signatureImage } from "../../src/signing";
import { FIXED_IMAGE, requireScanner, VULNERABLE_IMAGE } from "../scan/helpers";
import { cosign, REGISTRY, requireCosign, requireRegistry, uniqueRepo } from "../signing/helpers";
import {
  containersNamed,
  docker,
  POLICY_PACK,
  PULUMI_BIN,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const PROGRAM = join(REPO, "test", "fixtures", "programs", "signed-image", "index.ts");

/** The base64 body of a PEM, line by line: what a leak would contain. */
const pemLines = (pem: string) => pem.split("\n").filter((l) => l && !l.startsWith("-----"));

describe.skipIf(skipPulumi)("SignedImage with the real CLI, registry, trivy, cosign and engine", () => {
  let ws: PulumiWorkspace;
  let dir: string;
  let client: RegistryClient;
  const tag = `ss-signed-${process.pid}`;

  async function stack(name: string, config: Record<string, string>, secrets: Record<string, string> = {}) {
    await ws.pulumiOk(["stack", "init", name], dir);
    await ws.pulumiOk(["config", "set", "prefix", `${tag}-${name}`, "--stack", name], dir);
    await ws.pulumiOk(
      ["config", "set", "reportDir", mkdtempSync(join(ws.dir, "reports-")), "--stack", name],
      dir,
    );
    for (const [k, v] of Object.entries(config))
      await ws.pulumiOk(["config", "set", k, v, "--stack", name], dir);
    for (const [k, v] of Object.entries(secrets)) {
      const file = join(ws.dir, `${name}-${k}.secret`);
      writeFileSync(file, v, { mode: 0o600 });
      await setSecretFromFile(name, k, file);
    }
  }

  /** `pulumi config set --secret` with the value on stdin, never in argv. */
  async function setSecretFromFile(name: string, key: string, file: string) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        join(PULUMI_BIN, "pulumi"),
        ["config", "set", "--secret", key, "--stack", name, "--non-interactive"],
        {
          cwd: dir,
          env: ws.env,
          stdio: ["pipe", "ignore", "pipe"],
        },
      );
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      createReadStream(file).pipe(child.stdin);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`pulumi config set --secret ${key}: ${err}`)),
      );
    });
  }

  const output = async (name: string, key: string) =>
    (await ws.pulumiOk(["stack", "output", key, "--stack", name], dir)).stdout.trim();

  beforeAll(async () => {
    await requireToolchain();
    await requireScanner();
    requireCosign();
    client = await requireRegistry();
    ws = new PulumiWorkspace("signed-image");
    dir = ws.stage("signed-image", PROGRAM);
  }, 300_000);

  afterAll(async () => {
    for (const name of await containersNamed(tag).catch(() => []))
      await docker(["rm", "-f", name]).catch(() => "");
    ws?.dispose();
  });

  it("never pushes an image whose scan fails", async () => {
    const repo = uniqueRepo("signed-vuln");
    await stack("vuln", { image: VULNERABLE_IMAGE, repository: `${REGISTRY}/${repo}` });
    const up = await ws.pulumi(["up", "--yes", "--stack", "vuln"], dir, 400_000);
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("at or above high");
    expect(await client.tags(repo)).toEqual([]);
    expect(await containersNamed(`${tag}-vuln`)).toEqual([]);
  }, 500_000);

  it("pushes, scans, signs, verifies and runs by digest; cosign agrees; a second up changes nothing; destroy cleans up", async () => {
    const repo = uniqueRepo("signed-fixed");
    await stack("fixed", { image: FIXED_IMAGE, repository: `${REGISTRY}/${repo}` });
    const up = await ws.pulumiOk(["up", "--yes", "--stack", "fixed"], dir, 600_000);
    const imageRef = await output("fixed", "imageRef");
    const digest = await output("fixed", "digest");
    expect(imageRef).toBe(`${REGISTRY}/${repo}@${digest}`);
    expect((await client.resolve(repo, "release"))?.digest).toBe(digest);
    expect(await client.tags(repo)).toContain(`sha256-${digest.slice(7)}.sig`);
    const [container] = await containersNamed(`${tag}-fixed`);
    expect(container).toBeDefined();
    expect(await docker(["inspect", "--format", "{{.Config.Image}}", container as string])).toBe(imageRef);

    // cosign verifies it with the stack's public key.
    const keyFile = join(ws.dir, "fixed.pub");
    writeFileSync(keyFile, await output("fixed", "publicKeyPem"));
    const verified = await cosign(["verify", "--key", keyFile, "--insecure-ignore-tlog=true", imageRef]);
    expect(verified.code, verified.output).toBe(0);

    // The private key: a secret in the state, never plaintext there nor in the engine's output.
    const exported = (await ws.pulumiOk(["stack", "export", "--show-secrets", "--stack", "fixed"], dir))
      .stdout;
    const keyResource = (
      JSON.parse(exported).deployment.resources as { type: string; outputs?: Record<string, unknown> }[]
    ).find((r) => r.type === "tls:index/privateKey:PrivateKey");
    // --show-secrets writes a secret as { <sig>: …, plaintext: "<JSON of the value>" }.
    const shown = keyResource?.outputs?.privateKeyPemPkcs8 as { plaintext?: string } | string | undefined;
    const privatePem = typeof shown === "string" ? shown : JSON.parse(shown?.plaintext ?? '""');
    expect(privatePem).toContain("BEGIN PRIVATE KEY");
    const state = ws.stateFile("signed-image", "fixed");
    const plainExport = (await ws.pulumiOk(["stack", "export", "--stack", "fixed"], dir)).stdout;
    for (const line of pemLines(privatePem)) {
      expect(state).not.toContain(line);
      expect(plainExport).not.toContain(line);
      expect(up.output).not.toContain(line);
    }

    // The policy pack: the container is pinned by digest and covered by the verified SignedImage.
    const previewed = await ws.pulumiOk(
      ["preview", "--policy-pack", POLICY_PACK, "--stack", "fixed"],
      dir,
      300_000,
    );
    const names = policyViolations(previewed.output).map((v) => v.policy);
    expect(names).not.toContain("image-not-verified");
    expect(names).not.toContain("image-digest");

    await ws.pulumiOk(["up", "--yes", "--expect-no-changes", "--stack", "fixed"], dir, 300_000);

    // A tag pushed again with other content is put back on the next up (consumers never moved).
    const other = await docker(["image", "inspect", "--format", "{{.Id}}", VULNERABLE_IMAGE]);
    await docker(["tag", other, `${REGISTRY}/${repo}:release`]);
    await docker(["push", `${REGISTRY}/${repo}:release`]);
    expect((await client.resolve(repo, "release"))?.digest).not.toBe(digest);
    await ws.pulumiOk(["up", "--yes", "--stack", "fixed"], dir, 300_000);
    expect((await client.resolve(repo, "release"))?.digest).toBe(digest);
    expect(await docker(["inspect", "--format", "{{.Config.Image}}", container as string])).toBe(imageRef);

    await ws.pulumiOk(["destroy", "--yes", "--stack", "fixed"], dir, 300_000);
    expect(await containersNamed(`${tag}-fixed`)).toEqual([]);
    expect(await client.resolve(repo, digest)).toBeUndefined();
    expect(await client.resolve(repo, `sha256-${digest.slice(7)}.sig`)).toBeUndefined();
    // The source image, which other stacks use, stays.
    expect(await docker(["image", "inspect", "--format", "{{.Id}}", FIXED_IMAGE])).toMatch(/^sha256:/);
  }, 1_500_000);

  it("fails the deployment when the signature was replaced by another key's, before touching the service", async () => {
    const repo = uniqueRepo("signed-tamper");
    const own = generateSigningKeyPair();
    await stack(
      "tamper",
      { image: FIXED_IMAGE, repository: `${REGISTRY}/${repo}` },
      { signingKey: own.privateKeyPem },
    );
    await ws.pulumiOk(["up", "--yes", "--stack", "tamper"], dir, 600_000);
    expect(await output("tamper", "publicKeyPem")).toBe(own.publicKeyPem.trim());
    const digest = await output("tamper", "digest");
    const [container] = await containersNamed(`${tag}-tamper`);
    const before = await docker(["inspect", "--format", "{{.Id}}", container as string]);

    // Someone replaces the signature with one of their own key.
    const sigTag = `sha256-${digest.slice(7)}.sig`;
    const sig = await client.getManifest(repo, sigTag);
    const layer = sig?.json.layers?.[0];
    if (!layer?.annotations) throw new Error("no signature layer");
    const forged = Buffer.from(layer.annotations[SIGNATURE_ANNOTATION] ?? "", "base64");
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    const image = signatureImage([
      { ...layer, annotations: { [SIGNATURE_ANNOTATION]: forged.toString("base64") } },
    ]);
    await client.pushBlob(repo, image.config);
    await client.putManifest(repo, sigTag, "application/vnd.oci.image.manifest.v1+json", image.manifest);

    const up = await ws.pulumi(["up", "--yes", "--stack", "tamper"], dir, 300_000);
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("SignedImage verification");
    expect(up.output).toContain("does not verify against the public key");
    expect(await docker(["inspect", "--format", "{{.Id}}", container as string])).toBe(before);
    for (const line of pemLines(own.privateKeyPem)) expect(up.output).not.toContain(line);
    await ws.pulumi(["destroy", "--yes", "--stack", "tamper"], dir, 300_000);
  }, 1_200_000);

  it("fails, naming the registry, when the registry is down", async () => {
    await stack("down", { image: FIXED_IMAGE, repository: "127.0.0.1:5999/shipshape-test/nowhere" });
    const up = await ws.pulumi(["up", "--yes", "--stack", "down"], dir, 400_000);
    expect(up.code).not.toBe(0);
    expect(up.output).toMatch(/the registry 127\.0\.0\.1:5999 did not answer/);
    expect(await containersNamed(`${tag}-down`)).toEqual([]);
  }, 500_000);
});
