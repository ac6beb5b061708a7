import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DOCKER_CONTAINER_TYPE } from "../adapters/pulumi/docker-container";
import type { PolicyPackOptions } from "./options";

export const SECRET_ENV_POLICY = "secret-passed-as-env";

/** Resource types whose outputs are secret material. */
const SECRET_SOURCES: ReadonlySet<string> = new Set([
  "random:index/randomPassword:RandomPassword",
  "random:index/randomBytes:RandomBytes",
  "tls:index/privateKey:PrivateKey",
  "tls:index/selfSignedCert:SelfSignedCert",
  "tls:index/locallySignedCert:LocallySignedCert",
  "docker:index/secret:Secret",
  "kubernetes:core/v1:Secret",
  "shipshape:index:SecretStore",
]);

/** The secret sources a resource's property depends on, through parents of the dependency. */
function secretSourcesOf(deps: readonly PolicyResource[]): PolicyResource[] {
  return deps.filter((d) => {
    for (let r: PolicyResource | undefined = d; r; r = r.parent) if (SECRET_SOURCES.has(r.type)) return true;
    return false;
  });
}

/**
 * A container's environment built from a secret-producing resource: the value ends up in
 * `docker inspect`, in the process table of anyone who can read /proc/<pid>/environ, and in
 * crash dumps. Only the graph shows it (the value itself is just a string), so this is a stack
 * policy over property dependencies.
 */
export function secretEnvPolicy(options: PolicyPackOptions): StackValidationPolicy {
  return {
    name: SECRET_ENV_POLICY,
    description: "Secrets are mounted as files, never passed as environment variables",
    displayName: "Secret passed as an environment variable",
    severity: "high",
    enforcementLevel: options.levels[SECRET_ENV_POLICY] ?? "mandatory",
    remediationSteps:
      "Mount the secret as a file (a tmpfs or a Docker/Kubernetes secret) and point the application at the path, e.g. DB_PASSWORD_FILE=/run/secrets/db.",
    tags: ["shipshape", "secrets"],
    validateStack: (args, report) => {
      for (const r of args.resources) {
        if (r.type !== DOCKER_CONTAINER_TYPE) continue;
        const sources = secretSourcesOf(r.propertyDependencies.envs ?? []);
        for (const s of sources) {
          report(
            `container ${r.name} takes an environment variable from ${s.type} ${s.name}; mount the secret as a file instead`,
            r.urn,
          );
        }
      }
    },
  };
}
