/**
 * Malformed ImageScan args: each fails with the field path, the bad value and the fix, before
 * anything is registered (the component included).
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ImageScan, type ImageScanArgs, ImageSource, ScanSeverity } from "../../src";
import { runUnderMocks } from "../../src/program/mock-run";
import { expectRefused, type RefusedCase } from "./refused-args";

const base = (over: Record<string, unknown> = {}) => ({ image: "app:1", ...over }) as ImageScanArgs;
const REASON = "not reachable from this service's code";

const cases: RefusedCase[] = [
  { what: "no image", args: {}, path: "image", message: /image is required/ },
  {
    what: "image not a reference",
    args: base({ image: "Not An Image!" }),
    path: "image",
    message: /must be a reference/,
  },
  { what: "image with NUL", args: base({ image: "app\0:1" }), path: "image", message: /must be a reference/ },
  {
    what: "registry image without host",
    args: base({ source: ImageSource.Registry }),
    path: "image",
    message: /names its registry host/,
  },
  {
    what: "unknown source",
    args: base({ source: "s3" }),
    path: "source",
    message: /one of docker, registry/,
  },
  {
    what: "failOn word",
    args: base({ failOn: "urgent" }),
    path: "failOn",
    message: /one of critical, high, medium, low/,
  },
  {
    what: "ignoreUnfixed string",
    args: base({ ignoreUnfixed: "yes" }),
    path: "ignoreUnfixed",
    message: /true or false/,
  },
  {
    what: "ignore without reason",
    args: base({ ignores: [{ id: "CVE-2021-23337" }] }),
    path: "ignores.0.reason",
    message: /reason/,
  },
  {
    what: "ignore with short reason",
    args: base({ ignores: [{ id: "CVE-2021-23337", reason: "meh" }] }),
    path: "ignores.0.reason",
    message: /at least 10/,
  },
  {
    what: "ignore id",
    args: base({ ignores: [{ id: "lodash", reason: REASON }] }),
    path: "ignores.0.id",
    message: /advisory id/,
  },
  {
    what: "ignore expiry not a day",
    args: base({ ignores: [{ id: "CVE-2021-23337", reason: REASON, expires: "2027-02-30" }] }),
    path: "ignores.0.expires",
    message: /YYYY-MM-DD/,
  },
  {
    what: "ignore unknown field",
    args: base({ ignores: [{ id: "CVE-2021-23337", reason: REASON, until: "x" }] }),
    path: "ignores.0",
    message: /unknown field\(s\) until/,
  },
  {
    what: "duplicate ignore",
    args: base({
      ignores: [
        { id: "CVE-1-1", reason: REASON },
        { id: "CVE-1-1", reason: `${REASON}!` },
      ],
    }),
    path: "ignores.1.id",
    message: /ignored twice/,
  },
  {
    what: "timeout zero",
    args: base({ timeoutSeconds: 0 }),
    path: "timeoutSeconds",
    message: /from 1 to 3600/,
  },
  {
    what: "relative trivyPath",
    args: base({ trivyPath: "bin/trivy" }),
    path: "trivyPath",
    message: /absolute/,
  },
  { what: "host not an address", args: base({ host: "localhost" }), path: "host", message: /engine address/ },
  {
    what: "override without reason",
    args: base({ overrides: { noPackages: {} } }),
    path: "overrides.noPackages.reason",
    message: /reason/,
  },
  {
    what: "unknown field",
    args: base({ severity: "high" }),
    path: "",
    message: /unknown field\(s\) severity/,
  },
];

describe("ImageScan validates its args before registering anything", () => {
  it.each(cases)("$what", (c) => expectRefused((args) => new ImageScan("scan", args as ImageScanArgs), c));

  it("takes an Output image, and registers the component and its scan", async () => {
    const registered = await runUnderMocks(() => {
      new ImageScan("scan", { image: pulumi.output("app:1"), failOn: ScanSeverity.Critical });
    });
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/shipshape:ImageScan",
      "shipshape:index:ImageScan",
    ]);
  });
});
