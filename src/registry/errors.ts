/** Why a registry call failed: each has its own message and fix. */
export enum RegistryFailure {
  /** Nothing answered at the registry's address (down, wrong port, timeout). */
  Unreachable = "unreachable",
  /** The registry answered with an error status (auth, quota, a bad request, a 5xx). */
  Refused = "refused",
  /** The repository, tag, manifest or blob is not there. */
  NotFound = "not-found",
  /** The registry answered with something that is not what the distribution API specifies. */
  Malformed = "malformed",
}

/** A registry call that failed; the message always names the registry. */
export class RegistryError extends Error {
  readonly failure: RegistryFailure;
  readonly registry: string;
  readonly status?: number;
  constructor(failure: RegistryFailure, registry: string, message: string, status?: number) {
    super(message);
    this.name = "RegistryError";
    this.failure = failure;
    this.registry = registry;
    if (status !== undefined) this.status = status;
  }
}
