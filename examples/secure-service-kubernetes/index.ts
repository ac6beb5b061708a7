// An API and its database in a namespace that enforces Pod Security "restricted".
// Each gets a Deployment, a Service, its own ServiceAccount (no token mounted) and a
// default-deny NetworkPolicy that lets only the declared connections through.
//   shipshape render examples/secure-service-kubernetes --to kubernetes --out out/
import { AppType, ProfileTemplate, SecureService } from "shipshape";

const kubernetes = { namespace: "shop" };

new SecureService("db", {
  kubernetes,
  image:
    "registry.example.com/shop/db@sha256:0b6ed6e23f4ee1b7b4ac1ac5a4e6d1d2b1c7a0f9e0d8d3f5a1c2b3e4f5a6b7c8",
  ports: [{ containerPort: 5432 }],
  healthCheck: { command: ["/usr/local/bin/db-ready"] },
  resources: { cpu: "1", memory: "1Gi", pids: 512 },
  writablePaths: ["/tmp", "/run/db"],
  volumes: [{ name: "db-data", mountPath: "/var/lib/db" }],
  runtimeProfile: { appType: AppType.Database, template: ProfileTemplate.Default },
  ingressFrom: [{ podLabels: { "app.kubernetes.io/name": "api" }, ports: [5432] }],
});

new SecureService("api", {
  kubernetes,
  image:
    "registry.example.com/shop/api@sha256:9d1f0e2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a4938271605f4e3d2c1b0a",
  ports: [{ containerPort: 8080, hostPort: 80, name: "http" }],
  healthCheck: { httpGetPath: "/healthz" },
  replicas: 3,
  podDisruptionBudgetMinAvailable: 2,
  writablePaths: ["/tmp"],
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Strict },
  ingressFrom: [
    {
      podLabels: { "app.kubernetes.io/name": "gateway" },
      namespaceLabels: { "kubernetes.io/metadata.name": "edge" },
    },
  ],
  egressTo: [{ podLabels: { "app.kubernetes.io/name": "db" }, ports: [5432] }],
});
