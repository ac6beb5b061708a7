import * as pulumi from "@pulumi/pulumi";
import { imageScanProvider } from "./provider";
import type { ImageScanInputs, ScanSummary } from "./types";

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
