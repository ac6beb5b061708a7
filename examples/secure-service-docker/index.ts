// A web service on the local Docker host: non-root, read-only root filesystem with a tmpfs for
// /tmp, no capabilities, seccomp profile for web servers, limits, loopback-only port.
//   shipshape render examples/secure-service-docker --to compose --out out/
import { AppType, ProfileTemplate, SecureService } from "shipshape";

export const web = new SecureService("web", {
  docker: {},
  image:
    "registry.example.com/shop/web@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
  command: ["/app/server"],
  args: ["--listen", ":8080"],
  ports: [{ containerPort: 8080 }],
  env: { LOG_LEVEL: "info" },
  healthCheck: { command: ["/app/server", "--check"], intervalSeconds: 15 },
  resources: { cpu: "500m", memory: "256Mi", pids: 128 },
  writablePaths: ["/tmp"],
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
  labels: { team: "shop" },
}).image;
