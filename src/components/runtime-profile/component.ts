import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { KubernetesTargetArgs } from "../../platform/kubernetes-target";
import { PlatformKind } from "../../platform/platform";
import { LOCALHOST_PROFILE_DIR } from "../secure-service/kubernetes";
import { resolveTarget } from "../target";
import { enumValue } from "../validation/fields";
import { type ArgsIssue, ComponentArgsError } from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import { appArmorProfile } from "./apparmor";
import { profileName, seccompProfileJson } from "./seccomp";
import { AppType, ProfileTemplate } from "./syscalls";

export interface RuntimeProfileArgs {
  /** What the application does, which decides the syscalls it needs. @default AppType.Web */
  appType?: AppType;
  /** How tight the profile is. @default ProfileTemplate.Default (what the app type needs, nothing else) */
  template?: ProfileTemplate;
  /**
   * Also publish the profiles in a ConfigMap (`<name>-profiles`) in this namespace, for a node
   * installer to copy to `<kubelet seccomp root>/shipshape/`.
   * @default none (the profiles are outputs only)
   */
  kubernetes?: KubernetesTargetArgs;
}

const schema = z.strictObject({
  appType: enumValue(AppType, "appType").optional(),
  template: enumValue(ProfileTemplate, "template").optional(),
  kubernetes: z.any().optional(),
});

/**
 * A seccomp profile (and AppArmor profile text) for an application type and template, in the
 * forms Docker and the kubelet load: the JSON content for Docker's `seccomp=`, a Localhost path
 * for Kubernetes.
 */
export class RuntimeProfile extends pulumi.ComponentResource {
  /** The profile's name (`<appType>-<template>`). */
  readonly profileName: pulumi.Output<string>;
  /** The seccomp profile JSON. */
  readonly seccompJson: pulumi.Output<string>;
  /** AppArmor profile text (`apparmor_parser -r`), for hosts with AppArmor. */
  readonly appArmorText: pulumi.Output<string>;
  /** `--security-opt` values for Docker. */
  readonly dockerSecurityOpts: pulumi.Output<string[]>;
  /** Path under the kubelet's seccomp root, for `seccompProfile: { type: Localhost, localhostProfile }`. */
  readonly localhostProfile: pulumi.Output<string>;
  /** Kubernetes: the ConfigMap holding the profiles, when `kubernetes` was given. */
  readonly configMapName: pulumi.Output<string | undefined>;

  constructor(name: string, args: RuntimeProfileArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const issues: ArgsIssue[] = [];
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success) issues.push(...argsIssuesFromZod(parsed.error, args, "RuntimeProfileArgs"));
    const { target, issues: targetIssues } = resolveTarget(args ?? {}, {
      required: false,
      component: "RuntimeProfile",
    });
    issues.push(...targetIssues);
    if (issues.length > 0 || !parsed.success) throw new ComponentArgsError("RuntimeProfile", name, issues);
    const appType = parsed.data.appType ?? AppType.Web;
    const template = parsed.data.template ?? ProfileTemplate.Default;
    super("shipshape:index:RuntimeProfile", name, {}, opts);
    const profile = profileName(appType, template);
    const seccompJson = seccompProfileJson(appType, template);
    const appArmorText = appArmorProfile(appType, template);
    this.profileName = pulumi.output(profile);
    this.seccompJson = pulumi.output(seccompJson);
    this.appArmorText = pulumi.output(appArmorText);
    this.dockerSecurityOpts = pulumi.output(["no-new-privileges:true", `seccomp=${seccompJson}`]);
    this.localhostProfile = pulumi.output(`${LOCALHOST_PROFILE_DIR}/${profile}.json`);
    if (target?.kind === PlatformKind.Kubernetes) {
      const configMap = new k8s.core.v1.ConfigMap(
        `${name}-profiles`,
        {
          metadata: {
            name: `${name}-profiles`,
            namespace: target.namespace,
            labels: { "app.kubernetes.io/managed-by": "shipshape" },
          },
          data: { [`${profile}.json`]: seccompJson, [`${profile}.apparmor`]: appArmorText },
        },
        { parent: this },
      );
      this.configMapName = configMap.metadata.name;
    } else {
      this.configMapName = pulumi.output<string | undefined>(undefined);
    }
    this.registerOutputs({
      profileName: this.profileName,
      seccompJson: this.seccompJson,
      appArmorText: this.appArmorText,
      dockerSecurityOpts: this.dockerSecurityOpts,
      localhostProfile: this.localhostProfile,
      configMapName: this.configMapName,
    });
  }
}
