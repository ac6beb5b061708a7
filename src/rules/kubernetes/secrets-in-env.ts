/**
 * Why: a secret written as a literal environment value lives in the manifest (and so in Git,
 * in `kubectl get -o yaml`, in `docker inspect`, in CI logs) for anyone who can read those.
 * A variable counts as a secret when its name says so (password, token, secret, API key,
 * private key, credentials…) or its value is a PEM private key. Names that point at a secret
 * rather than hold it (`…_FILE`, `…_PATH`, `…_URL`, `…_ID`, …) or values that are absolute
 * file paths are left alone, and so are
 * values taken from a Secret (see `secret-env-reference` for those).
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

const SENSITIVE_NAME =
  /passw(or)?d|passphrase|secret|token|bearer|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth[_-]?key|client[_-]?key|signing[_-]?key|encryption[_-]?key|^AWS_SECRET_ACCESS_KEY$|^AZURE_.+KEY$|^GOOGLE_APPLICATION_CREDENTIALS$/i;

/** Name endings that describe where or what a secret is, not the secret itself. */
const POINTER_SUFFIX =
  /[_-](FILE|FILES|PATH|DIR|URL|URI|ENDPOINT|HOST|ID|NAME|TTL|EXPIRY|EXPIRES|TIMEOUT|LIFETIME|LENGTH|TYPE|ENABLED|REF)$/i;

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** An absolute file path (`/run/secrets/db`) names where the secret is, not the secret. */
const FILE_PATH = /^\/[\w.@/-]+$/;

function isSecretLiteral(name: string, value: string): boolean {
  if (value.trim() === "") return false;
  if (PRIVATE_KEY.test(value)) return true;
  return SENSITIVE_NAME.test(name) && !POINTER_SUFFIX.test(name) && !FILE_PATH.test(value.trim());
}

export const secretsInEnv = defineRule({
  id: "secrets-in-env",
  title: "Secrets are not written as literal environment values",
  severity: "high",
  rationale:
    "A password, token or key written into the manifest is readable by anyone with access to the repository, the cluster's object store (`kubectl get -o yaml`), `docker inspect` or build logs, and cannot be rotated without a redeploy.",
  remediation:
    "Store the value in a Secret (a Kubernetes Secret or a Compose/Docker secret) and mount it as a file; if the application only reads env, reference the Secret (`valueFrom.secretKeyRef`).",
  references: {
    kubeLinter: ["env-var-secret"],
    polaris: ["sensitiveContainerEnvVar"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      container.env.forEach((e, j) => {
        if (e.value === undefined || !isSecretLiteral(e.name, e.value)) return;
        out.push({
          path: `${path}.env.${j}`,
          message: `${containerLabel(container)} sets ${e.name} to a literal value that looks like a secret; move it into a Secret and mount it as a file`,
        });
      });
    }
    return out;
  },
});
