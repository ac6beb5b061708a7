/** Why an image did not verify: each fails closed with its own message. */
export enum VerificationFailure {
  /** The image (tag or digest) is not in the registry. */
  ImageMissing = "image-missing",
  /** The digest has no `.sig` image, or it holds no signature layer. */
  NoSignatures = "no-signatures",
  /** Signatures exist, but none verifies against the key: another key, or altered bytes. */
  SignatureMismatch = "signature-mismatch",
  /** A signature verifies, but its payload names other content than the digest. */
  ClaimMismatch = "claim-mismatch",
  /** The tag now names other content than the digest that was signed. */
  TagMoved = "tag-moved",
}

export class VerificationError extends Error {
  readonly failure: VerificationFailure;
  constructor(failure: VerificationFailure, message: string) {
    super(message);
    this.name = "VerificationError";
    this.failure = failure;
  }
}
