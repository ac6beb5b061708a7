import * as pulumi from "@pulumi/pulumi";
import { imageScanProvider } from "./provider";
import type { ImageScanInputs, ScanSummary } from "./types";

/** The type token Pulumi gives the scan's dynamic resource. */
export const IMAGE_SCAN_CHECK_TYPE = "pulumi-nodejs:dynamic/shipshape:ImageScan";

/**
 * What the scan's outputs are where no provider runs (shipshape check, render and audit run
 * programs under Pulumi's mocks): the reference as given, since nothing resolved or scanned it,
 * and no verdict.
 */
export function offlineImageScanOutputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return { ...inputs, imageRef: inputs.image };
}

/** The dynamic resource that runs the scan in the provider's process; `ImageScan` is the component around it. */
export class ImageScanCheck extends pulumi.dynamic.Resource {
  declare readonly imageRef: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string>;
  declare readonly databaseUpdatedAt: pulumi.Output<string>;
  declare readonly scanKey: pulumi.Output<string>;
  declare readonly counts: pulumi.Output<Record<string, number>>;
  declare readonly passed: pulumi.Output<boolean>;
  declare readonly reportPath: pulumi.Output<string>;
  declare readonly sarifPath: pulumi.Output<string>;
  declare readonly summary: pulumi.Output<ScanSummary>;
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(
    name: string,
    inputs: { [K in keyof ImageScanInputs]: pulumi.Input<ImageScanInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      imageScanProvider,
      name,
      {
        ...inputs,
        imageRef: undefined,
        digest: undefined,
        databaseUpdatedAt: undefined,
        scanKey: undefined,
        recheckAfter: undefined,
        counts: undefined,
        passed: undefined,
        reportPath: undefined,
        sarifPath: undefined,
        summary: undefined,
        warnings: undefined,
      },
      opts,
      "shipshape",
      "ImageScan",
    );
  }
}
