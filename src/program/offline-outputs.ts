/**
 * The outputs a dynamic resource has where no provider runs: shipshape check, render and audit
 * run programs under Pulumi's mocks, where a resource's outputs are its inputs. Where another
 * resource consumes a computed output, that output gets the value it can have offline.
 */

/** The type token of ImageScan's dynamic resource (module "shipshape", type "ImageScan"). */
const IMAGE_SCAN_CHECK_TYPE = "pulumi-nodejs:dynamic/shipshape:ImageScan";

export function offlineOutputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  // Nothing resolved or scanned the image: its reference is the one given, with no verdict.
  if (type === IMAGE_SCAN_CHECK_TYPE) return { ...inputs, imageRef: inputs.image };
  return inputs;
}
