// Secrets as Pulumi secrets, mounted as files (never environment variables):
//   pulumi config set --secret apiKey <value>     (or it is generated)
//   shipshape check examples/secret-store-docker
// A new sessionKeyVersion re-generates the session key and replaces the service that mounts it.
import * as pulumi from "@pulumi/pulumi";
import { SecretStore, SecureService } from "shipshape";

const config = new pulumi.Config();
const apiKey = config.getSecret("apiKey");

const store = new SecretStore("app", {
  secrets: [
    { name: "session-key", length: 32, version: config.getNumber("sessionKeyVersion") ?? 1 },
    apiKey ? { name: "api-key", value: apiKey } : { name: "api-key", length: 24 },
  ],
});

export const containers = new SecureService("api", {
  docker: {},
  image:
    "registry.example.com/shop/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
  command: ["/app/server"],
  args: ["--session-key-file", "/run/secrets/session-key", "--api-key-file", "/run/secrets/api-key"],
  ports: [{ containerPort: 8080 }],
  healthCheck: { command: ["/app/server", "--check"] },
  secretFiles: [
    { value: store.value("session-key"), path: "/run/secrets/session-key" },
    { value: store.value("api-key"), path: "/run/secrets/api-key", mode: 0o400 },
  ],
}).containerNames;
export const secretNames = store.names;
