/**
 * A single Docker host as a component's target. The engine itself comes from the Docker
 * provider: the ambient one (DOCKER_HOST or the local socket), or one given through the
 * component's `opts.provider` / `opts.providers`.
 */
export interface DockerTargetArgs {
  /**
   * The host interface published ports bind to. Binding every interface (`0.0.0.0`, `::`)
   * needs the `publicBind` override on the service.
   * @default "127.0.0.1" (reachable from the host only; a proxy or an override opens it wider)
   */
  bindAddress?: string;
  /**
   * Existing networks the service joins. When empty, each service gets its own user-defined
   * bridge network (never Docker's default bridge, where every container can reach every other).
   * @default [] (a network of its own)
   */
  networks?: string[];
  /**
   * Name of an AppArmor profile loaded on the host (see `RuntimeProfile.appArmorText`).
   * @default none: Docker applies its own default profile where the host has AppArmor
   */
  appArmorProfile?: string;
}
