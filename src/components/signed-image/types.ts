/** What the push receives: the scanned image and where it goes. */
export interface PushInputs {
  /** The scan's `imageRef`: an engine image ID, or `registry/repository@sha256:…`. */
  image: string;
  /** "docker" or "registry". */
  source: string;
  host?: string;
  /** `registry/repository`. */
  repository: string;
  tag: string;
  insecure: boolean;
}

export interface PushOutputs extends PushInputs {
  /** The manifest digest the registry stores. */
  digest: string;
  /** `registry/repository@digest`. */
  imageRef: string;
  /** The engine's image ID, when the engine pushed it. */
  imageId: string;
}

export interface SignatureInputs {
  repository: string;
  digest: string;
  /** The signing key (a Pulumi secret); never part of the outputs. */
  privateKeyPem: string;
  publicKeyPem: string;
  insecure: boolean;
}

export interface SignatureOutputs {
  repository: string;
  digest: string;
  publicKeyPem: string;
  insecure: boolean;
  /** `sha256-<hex>.sig`. */
  signatureTag: string;
  /** The digest of the signed simple-signing payload. */
  payloadDigest: string;
}

export interface VerificationInputs {
  repository: string;
  digest: string;
  /** `registry/repository@digest` (the push's). */
  imageRef: string;
  publicKeyPem: string;
  /** The signature it verifies (a dependency: verification comes after signing). */
  payloadDigest: string;
  insecure: boolean;
}

export interface VerificationOutputs extends VerificationInputs {
  /** Always true: a verification that fails fails the deployment. */
  verified: boolean;
  /** How many signatures the `.sig` image holds. */
  signatures: number;
}
