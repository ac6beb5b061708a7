// stacks/kubernetes plus one raw, unhardened Deployment in its namespace: what the policy pack
// must block at preview, and the API server's Pod Security admission must refuse the Pods of.
import * as k8s from "@pulumi/kubernetes";
import { namespaceName } from "../../../stacks/kubernetes/index";

export * from "../../../stacks/kubernetes/index";

export const rawDeployment = new k8s.apps.v1.Deployment("raw", {
  metadata: { name: "raw", namespace: namespaceName, annotations: { "pulumi.com/skipAwait": "true" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "raw" } },
    template: {
      metadata: { labels: { app: "raw" } },
      spec: { containers: [{ name: "raw", image: "nginx:1.27" }] },
    },
  },
}).metadata.name;
