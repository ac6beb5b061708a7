// The shipshape reference stack: hardened services on the local Docker engine.
//   bash scripts/main.sh            previews it with the policy pack, deploys and verifies it
//   bash scripts/main.sh destroy    tears it down
// Config (all optional): namePrefix, image, webPort, apiKey (secret), userNamespaceRemap (the
// engine's userns-remap user, "dockremap" on shipshape's hardened engine; "" for none).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AppType, EncryptedVolume, ProfileTemplate, SecureService, VolumeKind } from "shipshape";

const config = new pulumi.Config();
/** Prefix of every Docker object's name, so several stacks can share one engine. */
const prefix = config.get("namePrefix") ?? "shipshape-ref";
/** Built locally by stacks/docker/build-image.sh; the engine never pulls it. */
const image = config.get("image") ?? "shipshape-reference/app:1";
const webPort = config.getNumber("webPort") ?? 18080;

const labels = { "app.kubernetes.io/part-of": prefix };

const remap = config.get("userNamespaceRemap") ?? "dockremap";

// The worker's state outlives its container, encrypted at rest on the host (gocryptfs): the host
// directory holds only ciphertext, the key is a generated Pulumi secret, and destroy unmounts
// and removes it.
const stateVolume = new EncryptedVolume(`${prefix}-worker-state`, {
  docker: {},
  kind: VolumeKind.Encrypted,
  ...(remap ? { userNamespaceRemap: remap } : {}),
  labels,
});

/** A static web front, published on the loopback interface only. */
const web = new SecureService(`${prefix}-web`, {
  docker: {},
  image,
  command: ["/bin/httpd"],
  args: ["-f", "-p", "8080", "-h", "/www"],
  ports: [{ containerPort: 8080, hostPort: webPort }],
  healthCheck: {
    command: ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    intervalSeconds: 10,
  },
  resources: { cpu: "250m", memory: "64Mi", pids: 32 },
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
  labels,
});

/** A background worker: no ports, a heartbeat in its tmpfs, its state on a named volume. */
const worker = new SecureService(
  `${prefix}-worker`,
  {
    docker: {},
    image,
    command: ["/bin/sh"],
    args: [
      "-c",
      'while true; do date > /tmp/heartbeat; echo "shipshape-worker-heartbeat $(date)" > /data/last-run; sleep 5; done',
    ],
    healthCheck: { command: ["/bin/test", "-f", "/tmp/heartbeat"], intervalSeconds: 10 },
    resources: { cpu: "100m", memory: "32Mi", pids: 16 },
    writablePaths: ["/tmp"],
    volumes: [{ volume: stateVolume.volumeRef, mountPath: "/data" }],
    runtimeProfile: { appType: AppType.Worker, template: ProfileTemplate.Strict },
    labels,
  },
  { dependsOn: [stateVolume] },
);

// A secret the stack generates and one it is given: both stay encrypted in the state and masked
// in the engine's output (`pulumi stack output --show-secrets` reveals them).
const sessionKey = new random.RandomPassword("session-key", { length: 32, special: false });
const apiKey = config.getSecret("apiKey");

export const containers = pulumi
  .all([web.containerNames, worker.containerNames])
  .apply((names) => names.flat());
export const networks = pulumi
  .all([web.networkName, worker.networkName])
  .apply((names) => names.filter((n): n is string => n !== undefined));
export const volumes = [stateVolume.volumeName];
/** Where the worker's encrypted state lives on the host: ciphertext, and the mounted plaintext view. */
export const encryptedVolumes = {
  workerState: { cipherDirectory: stateVolume.hostCipherDirectory, mountPoint: stateVolume.hostMountPoint },
};
export const url = pulumi.interpolate`http://127.0.0.1:${webPort}/`;
export const images = { web: web.image, worker: worker.image };
export const secrets = { sessionKey: sessionKey.result, apiKey: apiKey ?? pulumi.secret("") };
