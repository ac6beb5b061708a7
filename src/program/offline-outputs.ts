/**
 * The outputs a dynamic resource has where no provider runs: shipshape check, render and audit
 * run programs under Pulumi's mocks, where a resource's outputs are its inputs. Where another
 * resource consumes a computed output, that output gets the value it can have offline.
 */

/** The type token of ImageScan's dynamic resource (module "shipshape", type "ImageScan"). */
const IMAGE_SCAN_CHECK_TYPE = "pulumi-nodejs:dynamic/shipshape:ImageScan";
/** SignedImage's push: offline nothing is pushed, so there is no digest yet. */
const SIGNED_IMAGE_PUSH_TYPE = "pulumi-nodejs:dynamic/shipshape:SignedImagePush";

export function offlineOutputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  // Nothing resolved or scanned the image: its reference is the one given, with no verdict.
  if (type === IMAGE_SCAN_CHECK_TYPE) return { ...inputs, imageRef: inputs.image };
  // The release tag stands for the digest the push would make: a tag, honestly not a digest.
  if (type === SIGNED_IMAGE_PUSH_TYPE)
    return { ...inputs, digest: "", imageRef: `${inputs.repository}:${inputs.tag}` };
  return inputs;
}
