import * as pulumi from "@pulumi/pulumi";
import { defaultReportDir, defaultTrivyCacheDir, defaultTrivyPath } from "../../scan/locations";
import { type ImageScanArgs, ImageSource, ScanSeverity } from "./args";
import { ImageScanCheck } from "./check";
import type { ScanSummary } from "./types";
import { validateImageScanArgs } from "./validate";

/**
 * Scans an image for known vulnerabilities with trivy during `pulumi preview` and `pulumi up`,
 * and fails the deployment when the gate (`failOn`, `ignoreUnfixed`, `ignores`) is not met.
 * It fails closed: a missing scanner or database, a scanner that crashes or hangs, an image that
 * is not there, all fail the deployment with their cause. A scan is cached by (image content,
 * database date, gate): an unchanged preview or up runs no scanner. Give `imageRef` to
 * SecureService's `image`, so the container runs exactly the content that was scanned; the
 * policy pack's image-not-verified counts the scan as that image's evidence.
 */
export class ImageScan extends pulumi.ComponentResource {
  /** The scanned content: the image ID (`sha256:…`) of a local image, `repository@sha256:…` in a registry. */
  readonly imageRef: pulumi.Output<string>;
  /** The image ID or manifest digest that was scanned. */
  readonly digest: pulumi.Output<string>;
  /** When the vulnerability database was built (RFC 3339). */
  readonly databaseUpdatedAt: pulumi.Output<string>;
  /** Vulnerabilities found, by severity (`critical`, `high`, `medium`, `low`, `unknown`). */
  readonly counts: pulumi.Output<Record<string, number>>;
  /** Whether the gate passed: always true for a scan that exists (a failed gate fails the deployment). */
  readonly passed: pulumi.Output<boolean>;
  /** The JSON report's path. */
  readonly reportPath: pulumi.Output<string>;
  /** The SARIF 2.1.0 report's path. */
  readonly sarifPath: pulumi.Output<string>;
  /** Counts and the most severe findings, small enough for a stack output. */
  readonly summary: pulumi.Output<ScanSummary>;
  /** Expired and unused ignores. */
  readonly warnings: pulumi.Output<string[]>;
  /** (digest, database date, gate): a new key is a new scan. */
  readonly scanKey: pulumi.Output<string>;

  constructor(name: string, args: ImageScanArgs, opts?: pulumi.ComponentResourceOptions) {
    validateImageScanArgs(name, args);
    // The image is recorded as the component's input: offline checks (no provider runs under
    // mocks) see which image the scan stands for.
    super("shipshape:index:ImageScan", name, { image: args.image }, opts);
    const check = new ImageScanCheck(
      name,
      {
        image: args.image,
        source: args.source ?? ImageSource.Docker,
        ...(args.host ? { host: args.host } : {}),
        insecureRegistry: args.insecureRegistry ?? false,
        failOn: args.failOn ?? ScanSeverity.High,
        ignoreUnfixed: args.ignoreUnfixed ?? false,
        ignores: (args.ignores ?? []).map((i) => ({
          id: i.id,
          reason: i.reason.trim(),
          ...(i.expires ? { expires: i.expires } : {}),
          ...(i.packages?.length ? { packages: [...i.packages] } : {}),
        })),
        timeoutSeconds: args.timeoutSeconds ?? 300,
        trivyPath: args.trivyPath ?? defaultTrivyPath(),
        cacheDir: args.cacheDir ?? defaultTrivyCacheDir(),
        reportDir: args.reportDir ?? defaultReportDir(),
        noPackagesReason: args.overrides?.noPackages?.reason.trim() ?? "",
      },
      { parent: this },
    );
    this.imageRef = check.imageRef;
    this.digest = check.digest;
    this.databaseUpdatedAt = check.databaseUpdatedAt;
    this.counts = check.counts;
    this.passed = check.passed;
    this.reportPath = check.reportPath;
    this.sarifPath = check.sarifPath;
    this.summary = check.summary;
    this.warnings = check.warnings;
    this.scanKey = check.scanKey;
    check.warnings.apply((warnings) => {
      for (const w of warnings ?? []) pulumi.log.warn(`ImageScan ${name}: ${w}`, this);
    });
    this.registerOutputs({
      imageRef: this.imageRef,
      digest: this.digest,
      databaseUpdatedAt: this.databaseUpdatedAt,
      counts: this.counts,
      passed: this.passed,
      reportPath: this.reportPath,
      sarifPath: this.sarifPath,
      summary: this.summary,
      warnings: this.warnings,
      scanKey: this.scanKey,
    });
  }
}
