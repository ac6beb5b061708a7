/**
 * Malformed SignedImage args: each fails with the field path, the bad value (never the key) and
 * the fix, before anything is registered; good args register the scan, key, push, signature
 * and verification under the component, with the key a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ScanSeverity, SignedImage, type SignedImageArgs } from "../../src";
import { runUnderMocks } from "../../src/program/mock-run";
import { expectRefused, type RefusedCase } from "./refused-args";

const REPO = "127.0.0.1:5000/team/app";
const base = (over: Record<string, unknown> = {}) =>
  ({ image: "app:1", repository: REPO, ...over }) as SignedImageArgs;
const NOT_A_KEY = "this-is-the-secret-value-itself";

const cases: RefusedCase[] = [
  { what: "no image", args: { repository: REPO }, path: "image", message: /image is required/ },
  { what: "no repository", args: { image: "app:1" }, path: "repository", message: /must be a string/ },
  {
    what: "repository without host",
    args: base({ repository: "team/app" }),
    path: "repository",
    message: /names no registry host/,
  },
  {
    what: "repository with tag",
    args: base({ repository: `${REPO}:1` }),
    path: "repository",
    message: /without a tag or digest; put the tag in `tag`/,
  },
  {
    what: "repository unparsable",
    args: base({ repository: "127.0.0.1:5000/Team App" }),
    path: "repository",
    message: /not a registry reference/,
  },
  { what: "bad tag", args: base({ tag: "-x" }), path: "tag", message: /must be a Docker tag/ },
  {
    what: "signature-like tag",
    args: base({ tag: `sha256-${"a".repeat(64)}.sig` }),
    path: "tag",
    message: /signature tag/,
  },
  {
    what: "key not PEM",
    args: base({ signingKey: NOT_A_KEY }),
    path: "signingKey",
    message: /ECDSA P-256 private key in PEM/,
  },
  {
    what: "failOn word",
    args: base({ failOn: "urgent" }),
    path: "failOn",
    message: /one of critical, high, medium, low/,
  },
  { what: "unknown field", args: base({ key: "x" }), path: "", message: /unknown field\(s\) key/ },
];

describe("SignedImage validates its args before registering anything", () => {
  it.each(cases)("$what", (c) =>
    expectRefused((args) => new SignedImage("img", args as SignedImageArgs), c, NOT_A_KEY),
  );

  it("registers the scan, a generated key, the push, the signature and the verification", async () => {
    const registered = await runUnderMocks(() => {
      new SignedImage("img", {
        image: pulumi.output("app:1"),
        repository: REPO,
        failOn: ScanSeverity.Critical,
      });
    });
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/shipshape:ImageScan",
      "pulumi-nodejs:dynamic/shipshape:SignedImagePush",
      "pulumi-nodejs:dynamic/shipshape:SignedImageSignature",
      "pulumi-nodejs:dynamic/shipshape:SignedImageVerification",
      "shipshape:index:ImageScan",
      "shipshape:index:SignedImage",
      "tls:index/privateKey:PrivateKey",
    ]);
    const key = registered.find((r) => r.type === "tls:index/privateKey:PrivateKey");
    expect(key?.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    const push = registered.find((r) => r.type.endsWith("SignedImagePush"));
    expect(push?.inputs).toMatchObject({ repository: REPO, tag: "latest", insecure: true });
  });
});
