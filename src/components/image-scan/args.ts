import type * as pulumi from "@pulumi/pulumi";
import { ImageSource } from "../../scan/trivy";
import type { OverrideReason } from "../secure-service/args";

export { ImageSource };

/** The lowest severity that fails the scan's gate (an enum, for other Pulumi languages). */
export enum ScanSeverity {
  Critical = "critical",
  High = "high",
  Medium = "medium",
  Low = "low",
}

/** A vulnerability the gate does not count. Every ignore says why, and may say until when. */
export interface ScanIgnoreArgs {
  /** The advisory id as the scanner reports it: `CVE-2021-23337`, `GHSA-…`. */
  id: string;
  /** Why it does not apply or is accepted (at least 10 characters); it goes into the report. */
  reason: string;
  /**
   * The last day the ignore holds, `YYYY-MM-DD` (UTC); after it the vulnerability counts again
   * and the scan reports the expired ignore.
   * @default none: the ignore holds until removed (an unused one is reported)
   */
  expires?: string;
  /** Only for these packages. @default every package with that advisory */
  packages?: string[];
}

/** Weakenings of the scan, each with the reason that is recorded with it. */
export interface ImageScanOverridesArgs {
  /**
   * Let an image with no OS package database and no language packages pass: without this, such a
   * scan fails, since finding nothing in nothing proves nothing (a static binary on scratch, say).
   * @default not set: an image the scanner cannot read packages from fails the scan
   */
  noPackages?: OverrideReason;
}

/**
 * What to scan and what fails the deployment. The scan runs in preview and in `pulumi up` (when
 * the image is known), and only again when the image's content, the vulnerability database or
 * these settings change. Only the image may be an Output; the rest are plain values, validated
 * before anything is registered.
 */
export interface ImageScanArgs {
  /**
   * The image: a local engine image (`name:tag`, or its ID `sha256:…`) or, with
   * `source: ImageSource.Registry`, `host/repository:tag` or `…@sha256:…`. By digest is best; a
   * tag is resolved to the content it names now, and the scan and `imageRef` follow that content.
   */
  image: pulumi.Input<string>;
  /** Where the image is. @default ImageSource.Docker (the engine at `host`) */
  source?: ImageSource;
  /** The Docker engine's address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: string;
  /** The registry speaks plain HTTP (a loopback registry). @default false (HTTPS) */
  insecureRegistry?: boolean;
  /** Vulnerabilities at or above this severity fail the deployment. @default ScanSeverity.High */
  failOn?: ScanSeverity;
  /**
   * Vulnerabilities without a fixed version do not fail the gate (they stay in the report).
   * @default false: an unfixed vulnerability is still a vulnerability
   */
  ignoreUnfixed?: boolean;
  /** Vulnerabilities the gate does not count, each with a reason. @default [] */
  ignores?: ScanIgnoreArgs[];
  /** The scanner is stopped, and the deployment fails, after this many seconds. @default 300 */
  timeoutSeconds?: number;
  /** The trivy binary. @default SHIPSHAPE_TRIVY, else the one scripts/setup.sh builds */
  trivyPath?: string;
  /**
   * A trivy cache directory holding `db/trivy.db` (trivy's own `--cache-dir` layout, so a cache
   * with trivy's public database works too).
   * @default SHIPSHAPE_TRIVY_CACHE, else the offline database scripts/setup.sh builds from vulndb/osv
   */
  cacheDir?: string;
  /** Where the JSON and SARIF reports are written. @default $SHIPSHAPE_CACHE/scans */
  reportDir?: string;
  /** Named weakenings, each with a reason. @default none */
  overrides?: ImageScanOverridesArgs;
}
