import { defineRule, PlatformScope } from "../../rule";
import { assignments, instructionPath, instructionsOf } from "./dockerfile";

/** Variable names that usually hold a credential. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET)/i;
/** Names that point at a secret rather than hold it (`DB_PASSWORD_FILE=/run/secrets/db`). */
const REFERENCE_NAME = /_(FILE|PATH|DIR|LOCATION)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);
}

export const dockerfileSecretsInEnv = defineRule({
  id: "dockerfile-secrets-in-env",
  title: "ENV and ARG hold no secrets",
  severity: "high",
  rationale:
    "ENV values are stored in the image config and ARG values in its history (`docker history`); anyone who can pull the image can read them.",
  remediation:
    "Pass build-time secrets with `RUN --mount=type=secret,id=…` and runtime secrets as files (Docker/Compose secrets, Kubernetes Secret volumes), never in ENV or ARG.",
  references: { cis: ["4.10"] },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return [...instructionsOf(build, "ENV"), ...instructionsOf(build, "ARG")]
      .sort((a, b) => a.index - b.index)
      .flatMap(({ index, instruction }) =>
        assignments(instruction)
          .filter((a) => isSecretName(a.name))
          .flatMap((a) => {
            if (instruction.keyword === "ENV") {
              if (a.value === undefined || a.value.trim() === "") return [];
              return [
                {
                  path: instructionPath(index),
                  message: `ENV ${a.name} stores a credential in the image configuration`,
                },
              ];
            }
            return [
              {
                path: instructionPath(index),
                message:
                  a.value === undefined || a.value === ""
                    ? `ARG ${a.name} looks like a credential; build arguments are recorded in the image history`
                    : `ARG ${a.name} has a credential as its default value`,
              },
            ];
          }),
      );
  },
});
