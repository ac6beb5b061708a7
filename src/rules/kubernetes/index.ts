import type { OutOfScope } from "../out-of-scope";
import type { Rule } from "../rule";

/** Kubernetes checks beyond the Pod Security Standards (kube-linter, checkov, Polaris). */
export const kubernetesRules: readonly Rule[] = [];

export const kubernetesOutOfScope: readonly OutOfScope[] = [];
