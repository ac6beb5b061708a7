import * as pulumi from "@pulumi/pulumi";
import { parseRegistryReference } from "../../registry/reference";
import { ImageSource, ScanSeverity } from "../image-scan/args";
import { ImageScan } from "../image-scan/component";
import type { ScanSummary } from "../image-scan/types";
import type { SignedImageArgs } from "./args";
import { signingKeyPair } from "./key";
import { SignedImagePush, SignedImageSignature, SignedImageVerification } from "./resources";
import { insecureFor, validateSignedImageArgs } from "./validate";

/**
 * An image's supply chain in one component: scan (ImageScan's gate), push under the release tag
 * only when the gate passed, sign the registry's digest in cosign's format, and verify the
 * signature against the public key before anything runs it. `imageRef` is
 * `registry/repository@sha256:…` and resolves only after the verification: give it to
 * SecureService's `image`, and the policy pack counts the container as verified.
 */
export class SignedImage extends pulumi.ComponentResource {
  /** `registry/repository@sha256:…`, verified: what consumers run. */
  readonly imageRef: pulumi.Output<string>;
  /** The manifest digest in the registry. */
  readonly digest: pulumi.Output<string>;
  /** `registry/repository`. */
  readonly repository: pulumi.Output<string>;
  /** The release tag. */
  readonly tag: pulumi.Output<string>;
  /** `sha256-<hex>.sig`: where the signature lives in the repository. */
  readonly signatureTag: pulumi.Output<string>;
  /** The public key (PKIX PEM) that verifies the signature: give it to `cosign verify --key`. */
  readonly publicKeyPem: pulumi.Output<string>;
  /** Always true once it exists: a verification that fails fails the deployment. */
  readonly verified: pulumi.Output<boolean>;
  /** The scan's counts and most severe findings. */
  readonly scanSummary: pulumi.Output<ScanSummary>;

  constructor(name: string, args: SignedImageArgs, opts?: pulumi.ComponentResourceOptions) {
    validateSignedImageArgs(name, args);
    super("shipshape:index:SignedImage", name, { image: args.image, repository: args.repository }, opts);
    const target = parseRegistryReference(args.repository, "repository");
    const repository = `${target.registry}/${target.repository}`;
    const tag = args.tag ?? "latest";
    const insecure = insecureFor(args);
    const source = args.source ?? ImageSource.Docker;

    const scan = new ImageScan(
      `${name}-scan`,
      {
        image: args.image,
        source,
        ...(args.host ? { host: args.host } : {}),
        insecureRegistry: insecure,
        failOn: args.failOn ?? ScanSeverity.High,
        ...(args.ignoreUnfixed !== undefined ? { ignoreUnfixed: args.ignoreUnfixed } : {}),
        ...(args.ignores ? { ignores: args.ignores } : {}),
        ...(args.timeoutSeconds !== undefined ? { timeoutSeconds: args.timeoutSeconds } : {}),
        ...(args.trivyPath ? { trivyPath: args.trivyPath } : {}),
        ...(args.cacheDir ? { cacheDir: args.cacheDir } : {}),
        ...(args.reportDir ? { reportDir: args.reportDir } : {}),
        ...(args.overrides ? { overrides: args.overrides } : {}),
      },
      { parent: this },
    );
    const key = signingKeyPair(name, args.signingKey, this);
    // The scan's imageRef is the push's input: nothing is pushed before the gate passed.
    const push = new SignedImagePush(
      `${name}-push`,
      { image: scan.imageRef, source, ...(args.host ? { host: args.host } : {}), repository, tag, insecure },
      { parent: this },
    );
    const signature = new SignedImageSignature(
      `${name}-signature`,
      {
        repository,
        digest: push.digest,
        privateKeyPem: key.privateKeyPem,
        publicKeyPem: key.publicKeyPem,
        insecure,
      },
      { parent: this },
    );
    const verification = new SignedImageVerification(
      `${name}-verification`,
      {
        repository,
        digest: push.digest,
        imageRef: push.imageRef,
        publicKeyPem: key.publicKeyPem,
        payloadDigest: signature.payloadDigest,
        insecure,
      },
      { parent: this },
    );
    this.imageRef = verification.imageRef;
    this.digest = verification.digest;
    this.repository = pulumi.output(repository);
    this.tag = pulumi.output(tag);
    this.signatureTag = signature.signatureTag;
    this.publicKeyPem = key.publicKeyPem;
    this.verified = verification.verified;
    this.scanSummary = scan.summary;
    this.registerOutputs({
      imageRef: this.imageRef,
      digest: this.digest,
      repository: this.repository,
      tag: this.tag,
      signatureTag: this.signatureTag,
      publicKeyPem: this.publicKeyPem,
      verified: this.verified,
      scanSummary: this.scanSummary,
    });
  }
}
