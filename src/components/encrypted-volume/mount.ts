import * as pulumi from "@pulumi/pulumi";
import { encryptedMountProvider, type MountInputs } from "./provider";

type MountArgs = { [K in keyof MountInputs]: pulumi.Input<MountInputs[K]> };

/** The dynamic resource that keeps an encrypted volume mounted on the Docker host; EncryptedVolume declares it. */
export class EncryptedMount extends pulumi.dynamic.Resource {
  declare readonly cipherDir: pulumi.Output<string>;
  declare readonly mountPoint: pulumi.Output<string>;
  declare readonly hostUid: pulumi.Output<number>;
  declare readonly hostGid: pulumi.Output<number>;

  constructor(name: string, args: MountArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      encryptedMountProvider,
      name,
      {
        ...args,
        // The key is a secret in the inputs and in the state, whatever the caller passed.
        key: pulumi.secret(args.key),
        cipherDir: undefined,
        mountPoint: undefined,
        hostUid: undefined,
        hostGid: undefined,
      },
      { ...opts, additionalSecretOutputs: ["key"] },
      "shipshape",
      "EncryptedMount",
    );
  }
}
