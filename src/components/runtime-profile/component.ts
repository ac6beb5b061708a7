import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPlatform } from "../../platform/kubernetes-platform";
import { type Platform, PlatformKind } from "../../platform/platform";
import { LOCALHOST_PROFILE_DIR } from "../secure-service/kubernetes";
import { appArmorProfile } from "./apparmor";
import { profileName, seccompProfileJson } from "./seccomp";
import { AppType, ProfileTemplate } from "./syscalls";

export interface RuntimeProfileArgs {
  /** @default AppType.Web */
  appType?: AppType;
  /** @default ProfileTemplate.Default */
  template?: ProfileTemplate;
  /**
   * Kubernetes: also publish the profiles in a ConfigMap (`<name>-profiles`) that a node
   * installer copies to `<kubelet seccomp root>/shipshape/`. @default none
   */
  platform?: Platform;
}

/**
 * A seccomp profile (and AppArmor profile text) for an application type and template, in the
 * forms Docker and the kubelet load: the JSON content for Docker's `seccomp=`, a Localhost path
 * (or RuntimeDefault) for Kubernetes.
 */
export class RuntimeProfile extends pulumi.ComponentResource {
  readonly profileName: string;
  /** The seccomp profile JSON. */
  readonly seccompJson: string;
  /** AppArmor profile text (`apparmor_parser -r`), for hosts with AppArmor. */
  readonly appArmorText: string;
  /** `--security-opt` values for Docker. */
  readonly dockerSecurityOpts: string[];
  /** Path under the kubelet's seccomp root, for `seccompProfile: { type: Localhost, localhostProfile }`. */
  readonly localhostProfile: string;
  readonly configMap: k8s.core.v1.ConfigMap | undefined;

  constructor(name: string, args: RuntimeProfileArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const appType = args.appType ?? AppType.Web;
    const template = args.template ?? ProfileTemplate.Default;
    if (!Object.values(AppType).includes(appType))
      throw new Error(
        `invalid RuntimeProfile "${name}" args: appType: got ${JSON.stringify(appType)}; use one of ${Object.values(AppType).join(", ")}`,
      );
    if (!Object.values(ProfileTemplate).includes(template))
      throw new Error(
        `invalid RuntimeProfile "${name}" args: template: got ${JSON.stringify(template)}; use one of ${Object.values(ProfileTemplate).join(", ")}`,
      );
    super("shipshape:index:RuntimeProfile", name, {}, opts);
    this.profileName = profileName(appType, template);
    this.seccompJson = seccompProfileJson(appType, template);
    this.appArmorText = appArmorProfile(appType, template);
    this.dockerSecurityOpts = ["no-new-privileges:true", `seccomp=${this.seccompJson}`];
    this.localhostProfile = `${LOCALHOST_PROFILE_DIR}/${this.profileName}.json`;
    if (args.platform?.kind === PlatformKind.Kubernetes) {
      const kube = args.platform as KubernetesPlatform;
      const childOpts: pulumi.CustomResourceOptions = { parent: this };
      if (kube.provider) childOpts.provider = kube.provider;
      this.configMap = new k8s.core.v1.ConfigMap(
        `${name}-profiles`,
        {
          metadata: {
            name: `${name}-profiles`,
            namespace: kube.namespace,
            labels: { "app.kubernetes.io/managed-by": "shipshape" },
          },
          data: {
            [`${this.profileName}.json`]: this.seccompJson,
            [`${this.profileName}.apparmor`]: this.appArmorText,
          },
        },
        childOpts,
      );
    }
    this.registerOutputs({ profileName: this.profileName, localhostProfile: this.localhostProfile });
  }
}
