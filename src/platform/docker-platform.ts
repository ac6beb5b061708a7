import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { type Platform, PlatformKind } from "./platform";

export interface DockerPlatformArgs {
  /**
   * The Docker host (`unix:///var/run/docker.sock`, `ssh://user@host`, `tcp://host:2376`).
   * When set and `provider` is not, the platform creates its own `docker.Provider` for it.
   * @default the ambient provider (DOCKER_HOST or the local socket)
   */
  host?: pulumi.Input<string>;
  /** An existing provider for the host. @default none (see `host`) */
  provider?: docker.Provider;
  /**
   * The host interface published ports bind to. Binding every interface (`0.0.0.0`, `::`)
   * needs the `publicBind` override on the service.
   * @default "127.0.0.1"
   */
  bindAddress?: string;
  /**
   * Networks services join. When empty, each service gets its own user-defined bridge network
   * (never Docker's default bridge).
   * @default []
   */
  networks?: string[];
  /**
   * Name of an AppArmor profile loaded on the host (see `RuntimeProfile.appArmorProfile`).
   * @default none: Docker applies its own default profile where the host has AppArmor
   */
  appArmorProfile?: string;
}

/** A single Docker host as a target for shipshape components. */
export class DockerPlatform implements Platform {
  readonly kind = PlatformKind.Docker;
  readonly provider: docker.Provider | undefined;
  readonly bindAddress: string;
  readonly networks: readonly string[];
  readonly appArmorProfile: string | undefined;

  /** `name` names the provider created for `host`. */
  constructor(name: string, args: DockerPlatformArgs = {}) {
    this.provider =
      args.provider ?? (args.host !== undefined ? new docker.Provider(name, { host: args.host }) : undefined);
    this.bindAddress = args.bindAddress ?? "127.0.0.1";
    this.networks = [...(args.networks ?? [])];
    this.appArmorProfile = args.appArmorProfile;
  }
}

export function isDockerPlatform(p: Platform | undefined): p is DockerPlatform {
  return p?.kind === PlatformKind.Docker;
}
