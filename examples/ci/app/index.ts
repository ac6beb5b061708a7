// The CI pipeline's deployment (examples/ci/run-local.sh, .gitlab-ci.yml, github-actions.yml):
// the image the pipeline scanned, pushed and signed, run by its registry digest as a hardened
// web service (non-root, read-only root filesystem, no capabilities, seccomp, limits, a port on
// loopback only). The pipeline previews it with the policy pack, which counts the image as
// verified through the pack's `verifiedImages` (the pipeline signs it before this runs).
//   config: image (host/repository@sha256:…, required), prefix (sspipe-ci), port (18090)
import * as pulumi from "@pulumi/pulumi";
import { AppType, ProfileTemplate, SecureService } from "shipshape";

const config = new pulumi.Config();
const image = config.require("image");
if (!/@sha256:[0-9a-f]{64}$/.test(image)) {
  throw new Error(
    `config image: ${JSON.stringify(image)} is not pinned by digest; set it to the pushed repository@sha256:… (the pipeline's push stage prints it)`,
  );
}
const prefix = config.get("prefix") ?? "sspipe-ci";
const port = config.getNumber("port") ?? 18090;

const web = new SecureService(`${prefix}-web`, {
  docker: { bindAddress: "127.0.0.1" },
  image,
  command: ["/bin/httpd"],
  args: ["-f", "-p", "8080", "-h", "/www"],
  ports: [{ containerPort: 8080, hostPort: port }],
  healthCheck: {
    command: ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    intervalSeconds: 5,
  },
  resources: { cpu: "250m", memory: "64Mi", pids: 32 },
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
});

export const containers = web.containerNames;
export const url = pulumi.interpolate`http://127.0.0.1:${port}/`;
export const deployedImage = web.image;
