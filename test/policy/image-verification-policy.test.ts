import { describe, expect, it } from "vitest";
import {
  evaluatePolicies,
  type HarnessConfig,
  type HarnessResource,
  IMAGE_VERIFICATION_POLICY,
  type PolicyPackOptionsInput,
  parsePolicyPackOptions,
  shipshapePolicies,
} from "../../src/policy";

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER_DIGEST = `sha256:${"c".repeat(64)}`;
const IMAGE = `registry.example.com/shop/web@${DIGEST}`;

const urnOf = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;

function resource(type: string, name: string, props: Record<string, unknown> = {}, parent?: string) {
  const r: HarnessResource = { type, name, urn: urnOf(type, name), props };
  if (parent) r.parent = parent;
  return r;
}

function container(name: string, image: unknown, imageDeps: string[] = []): HarnessResource {
  return {
    ...resource("docker:index/container:Container", name, { image }),
    dependencies: imageDeps,
    propertyDependencies: { image: imageDeps },
  };
}

function deployment(
  name: string,
  containers: { name: string; image: string }[],
  specDeps: string[] = [],
  initContainers: { name: string; image: string }[] = [],
): HarnessResource {
  const podSpec = initContainers.length > 0 ? { containers, initContainers } : { containers };
  return {
    ...resource("kubernetes:apps/v1:Deployment", name, {
      metadata: { name, namespace: "shop" },
      spec: { selector: { matchLabels: { app: name } }, template: { spec: podSpec } },
    }),
    propertyDependencies: { spec: specDeps },
  };
}

/** A SignedImage component (empty props, as the engine hands components to policies) and a child. */
const SIGNED = resource("shipshape:index:SignedImage", "web-image");
const SIGN_STEP = resource("command:local:Command", "web-image-sign", {}, SIGNED.urn);
const TRIVY = resource("command:local:Command", "trivy-web", { create: `trivy image ${IMAGE}` });

async function run(
  resources: HarnessResource[],
  settings: PolicyPackOptionsInput = {},
  config: HarnessConfig = {},
) {
  const result = await evaluatePolicies(shipshapePolicies(settings), resources, { config });
  return result.violations.filter((v) => v.policyName === IMAGE_VERIFICATION_POLICY);
}

describe("image not verified (stack policy): docker containers", () => {
  it("reports a container with no evidence, as an advisory medium violation naming container and image", async () => {
    expect(await run([container("web", "nginx:1.27")])).toEqual([
      {
        policyName: IMAGE_VERIFICATION_POLICY,
        enforcementLevel: "advisory",
        severity: "medium",
        urn: urnOf("docker:index/container:Container", "web"),
        message: expect.stringMatching(
          /^container web uses image nginx:1\.27 with no scan or signature evidence/,
        ),
      },
    ]);
  });

  it("accepts an image fed by ImageScan's scan, and never one whose scan did not pass", async () => {
    const scan = resource("shipshape:index:ImageScan", "web-scan");
    const passed = resource(
      "pulumi-nodejs:dynamic/shipshape:ImageScan",
      "web-scan",
      { imageRef: DIGEST, passed: true },
      scan.urn,
    );
    expect(await run([scan, passed, container("web", DIGEST, [passed.urn])])).toEqual([]);
    // Named by the scan without a dependency: the digest matches.
    expect(await run([scan, passed, container("web", DIGEST)])).toEqual([]);
    const failed = resource(
      "pulumi-nodejs:dynamic/shipshape:ImageScan",
      "web-scan",
      { imageRef: DIGEST, passed: false },
      scan.urn,
    );
    expect(await run([scan, failed, container("web", DIGEST, [failed.urn])])).toHaveLength(1);
    expect(await run([scan, failed, container("web", DIGEST)])).toHaveLength(1);
  });

  it("accepts an image fed by a child of a SignedImage (dependency through the parent chain)", async () => {
    expect(await run([SIGNED, SIGN_STEP, container("web", IMAGE, [SIGN_STEP.urn])])).toEqual([]);
  });

  it("accepts SignedImage's verification step, and never one that did not verify", async () => {
    const verified = resource(
      "pulumi-nodejs:dynamic/shipshape:SignedImageVerification",
      "web-verification",
      { imageRef: IMAGE, verified: true },
      SIGNED.urn,
    );
    expect(await run([SIGNED, verified, container("web", IMAGE, [verified.urn])])).toEqual([]);
    const refused = resource(
      "pulumi-nodejs:dynamic/shipshape:SignedImageVerification",
      "web-verification",
      { imageRef: IMAGE, verified: false },
      SIGNED.urn,
    );
    expect(await run([SIGNED, refused, container("web", IMAGE, [refused.urn])])).toHaveLength(1);
  });

  it("does not take a dependency on a resource outside the evidence types as evidence", async () => {
    expect(await run([TRIVY, container("web", IMAGE, [TRIVY.urn])])).toHaveLength(1);
  });

  it("accepts your own scanner's type once imageEvidenceTypes names it", async () => {
    const settings = { imageEvidenceTypes: ["command:local:Command"] };
    expect(await run([TRIVY, container("web", IMAGE, [TRIVY.urn])], settings)).toEqual([]);
    // The list replaces the default: a SignedImage no longer counts unless it is listed too.
    expect(
      await run([SIGNED, container("web", IMAGE, [SIGNED.urn])], { imageEvidenceTypes: ["x:index:Scan"] }),
    ).toHaveLength(1);
  });

  it("accepts evidence that names the same digest, in whichever repository", async () => {
    const scan = resource("command:local:Command", "scan", { digest: DIGEST }, SIGNED.urn);
    expect(
      await run([
        SIGNED,
        scan,
        container("web", IMAGE),
        container("mirror", `mirror.example.com/web@${DIGEST}`),
      ]),
    ).toEqual([]);
    const found = await run([
      SIGNED,
      scan,
      container("other", `registry.example.com/shop/web@${OTHER_DIGEST}`),
    ]);
    expect(found).toEqual([expect.objectContaining({ urn: expect.stringContaining("::other") })]);
  });

  it("compares references without a digest in full, with Docker Hub's defaults spelled out", async () => {
    const scan = resource("shipshape:index:ImageScan", "scan", { imageRef: "docker.io/library/nginx:1.27" });
    const found = await run([
      scan,
      container("same", "nginx:1.27"),
      container("other-tag", "nginx:1.28"),
      // A tag does not vouch for a digest: the tag may have moved since the scan.
      container("pinned", `nginx@${DIGEST}`),
    ]);
    expect(found.map((v) => v.urn?.split("::").pop()).sort()).toEqual(["other-tag", "pinned"]);
  });

  it("counts images under a verifiedImages glob, from pack settings or the policy's own config", async () => {
    const resources = [container("web", IMAGE), container("agent", "registry.example.com/ops/agent:2.3")];
    const globs = ["registry.example.com/shop/*"];
    const fromSettings = await run(resources, { verifiedImages: globs });
    expect(fromSettings.map((v) => v.urn?.split("::").pop())).toEqual(["agent"]);
    const fromConfig = await run(resources, {}, { [IMAGE_VERIFICATION_POLICY]: { verifiedImages: globs } });
    expect(fromConfig.map((v) => v.urn?.split("::").pop())).toEqual(["agent"]);
  });
});

describe("image not verified (stack policy): Kubernetes workloads", () => {
  it("reports every container and init container of a Deployment without evidence", async () => {
    const found = await run([
      deployment("web", [{ name: "app", image: IMAGE }], [], [{ name: "migrate", image: "busybox:1.36" }]),
    ]);
    expect(found.map((v) => v.message.split(" uses")[0]).sort()).toEqual([
      "container app of Deployment shop/web",
      "container migrate of Deployment shop/web",
    ]);
    expect(found.every((v) => v.urn === urnOf("kubernetes:apps/v1:Deployment", "web"))).toBe(true);
  });

  it("accepts a one-image Deployment whose spec depends on a SignedImage", async () => {
    expect(
      await run([SIGNED, SIGN_STEP, deployment("web", [{ name: "app", image: IMAGE }], [SIGN_STEP.urn])]),
    ).toEqual([]);
  });

  it("with several images, a spec dependency vouches only for the images the evidence names", async () => {
    const scan = resource("command:local:Command", "scan", { repoDigest: IMAGE }, SIGNED.urn);
    const found = await run([
      SIGNED,
      scan,
      deployment(
        "web",
        [
          { name: "app", image: IMAGE },
          { name: "proxy", image: "envoyproxy/envoy:v1.31" },
        ],
        [scan.urn],
      ),
    ]);
    expect(found.map((v) => v.message.split(" uses")[0])).toEqual(["container proxy of Deployment shop/web"]);
  });
});

describe("image not verified (stack policy): preview, exemptions, levels", () => {
  it("skips an image unknown at preview, and any container while an evidence name is unknown", async () => {
    expect(await run([container("web", UNKNOWN_STRING)])).toEqual([]);
    expect(await run([deployment("web", [{ name: "app", image: UNKNOWN_STRING }])])).toEqual([]);
    const pending = resource("command:local:Command", "scan", { digest: UNKNOWN_STRING }, SIGNED.urn);
    expect(await run([SIGNED, pending, container("web", IMAGE)])).toEqual([]);
    // Nothing unknown is read through the SDK's proxy, so no "can't run during preview" either.
    const all = await evaluatePolicies(shipshapePolicies(), [container("web", UNKNOWN_STRING)]);
    expect(all.violations.filter((v) => v.message.includes(IMAGE_VERIFICATION_POLICY))).toEqual([]);
  });

  it("honours exemptions from pack settings and from the policy's config", async () => {
    const exemption = { resource: "web", reason: "vendor appliance image, reviewed in SEC-12" };
    const resources = [container("web", "nginx:1.27"), container("api", "nginx:1.27")];
    const fromSettings = await run(resources, {
      exemptions: [{ rule: IMAGE_VERIFICATION_POLICY, ...exemption }],
    });
    expect(fromSettings.map((v) => v.urn?.split("::").pop())).toEqual(["api"]);
    const fromConfig = await run(resources, {}, { [IMAGE_VERIFICATION_POLICY]: { exemptions: [exemption] } });
    expect(fromConfig.map((v) => v.urn?.split("::").pop())).toEqual(["api"]);
    // An exemption for another rule does not apply.
    expect(
      await run(resources, { exemptions: [{ rule: "privileged-container", ...exemption }] }),
    ).toHaveLength(2);
  });

  it("is advisory by default, mandatory when levels say so, and disabled below minSeverity", async () => {
    const web = [container("web", "nginx:1.27")];
    expect((await run(web))[0]?.enforcementLevel).toBe("advisory");
    const mandatory = await run(web, { levels: { [IMAGE_VERIFICATION_POLICY]: "mandatory" } });
    expect(mandatory[0]?.enforcementLevel).toBe("mandatory");
    expect(await run(web, { minSeverity: "high" })).toEqual([]);
    const policy = shipshapePolicies().find((p) => p.name === IMAGE_VERIFICATION_POLICY);
    expect(policy).toMatchObject({ severity: "medium", tags: expect.arrayContaining(["supply-chain"]) });
    expect(policy?.remediationSteps).toMatch(
      /list that resource's type in imageEvidenceTypes.*verifiedImages/,
    );
  });

  it("defaults to the SignedImage family of evidence types, and names a bad option and its value", () => {
    expect(parsePolicyPackOptions({}).imageEvidenceTypes).toEqual([
      "shipshape:index:SignedImage",
      "shipshape:index:ImageScan",
      "shipshape:index:ImageSignature",
      "pulumi-nodejs:dynamic/shipshape:SignedImageVerification",
    ]);
    expect(() => parsePolicyPackOptions({ verifiedImages: ["registry.example.com/*", ""] })).toThrow(
      /verifiedImages\.1: .* \(got ""\)/,
    );
  });
});
