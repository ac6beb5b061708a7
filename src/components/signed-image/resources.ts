import * as pulumi from "@pulumi/pulumi";
import { pushProvider } from "./push-provider";
import { signatureProvider } from "./signature-provider";
import type { PushInputs, SignatureInputs, VerificationInputs } from "./types";
import { verificationProvider } from "./verification-provider";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Pushes the scanned image under the release tag (dynamic: `shipshape:SignedImagePush`). */
export class SignedImagePush extends pulumi.dynamic.Resource {
  declare readonly digest: pulumi.Output<string>;
  declare readonly imageRef: pulumi.Output<string>;
  declare readonly imageId: pulumi.Output<string>;

  constructor(name: string, inputs: Inputs<PushInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      pushProvider,
      name,
      { ...inputs, digest: undefined, imageRef: undefined, imageId: undefined },
      opts,
      "shipshape",
      "SignedImagePush",
    );
  }
}

/** Signs the pushed digest in cosign's format (dynamic: `shipshape:SignedImageSignature`). */
export class SignedImageSignature extends pulumi.dynamic.Resource {
  declare readonly signatureTag: pulumi.Output<string>;
  declare readonly payloadDigest: pulumi.Output<string>;

  constructor(name: string, inputs: Inputs<SignatureInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      signatureProvider,
      name,
      { ...inputs, signatureTag: undefined, payloadDigest: undefined },
      { ...opts, additionalSecretOutputs: ["privateKeyPem"] },
      "shipshape",
      "SignedImageSignature",
    );
  }
}

/** Verifies the signature against the public key in every preview and up (dynamic: `shipshape:SignedImageVerification`). */
export class SignedImageVerification extends pulumi.dynamic.Resource {
  declare readonly imageRef: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string>;
  declare readonly verified: pulumi.Output<boolean>;
  declare readonly signatures: pulumi.Output<number>;

  constructor(name: string, inputs: Inputs<VerificationInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      verificationProvider,
      name,
      { ...inputs, verified: undefined, signatures: undefined },
      opts,
      "shipshape",
      "SignedImageVerification",
    );
  }
}
