import type * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { SecretStore } from "../secret-store";
import type { MtlsPlan } from "./spec";
import type { TopologyService } from "./topology";

/** Usages of a service certificate: it serves and it connects. */
const SERVICE_USES = ["digital_signature", "key_encipherment", "server_auth", "client_auth"];

export interface MtlsResources {
  caCertPem: pulumi.Output<string>;
  store: SecretStore;
}

/** The name of a service's key and certificate in the store. */
export const tlsSecretName = (service: string, part: "key" | "crt") => `${service}.${part}`;

/**
 * A CA and a certificate per service, ECDSA P-256, from `@pulumi/tls`. Private keys are secret
 * outputs of the provider (ciphertext in the state; the CA key only ever goes to the signing
 * resource). Each certificate names its service as SANs (the topology name, the container name)
 * and is replaced by `pulumi up` once within `earlyRenewalHours` of its end (the provider's
 * `readyForRenewal`). The keys and certificates go into a SecretStore, so SecureServices mount
 * them as secret files.
 */
export function createMtls(
  name: string,
  prefix: string,
  services: TopologyService[],
  plan: MtlsPlan,
  parent: pulumi.Resource,
): MtlsResources {
  const opts = { parent };
  const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const ca = new tls.SelfSignedCert(
    `${name}-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      subject: { commonName: `${prefix} services CA`, organization: "shipshape" },
      isCaCertificate: true,
      validityPeriodHours: plan.caValidityHours,
      earlyRenewalHours: plan.caEarlyRenewalHours,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    },
    opts,
  );
  const secrets = services.flatMap((s) => {
    const key = new tls.PrivateKey(`${name}-${s.name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const request = new tls.CertRequest(
      `${name}-${s.name}-csr`,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: s.name, organization: "shipshape" },
        dnsNames: [s.name, `${prefix}-${s.name}`],
      },
      opts,
    );
    const cert = new tls.LocallySignedCert(
      `${name}-${s.name}-cert`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: ca.certPem,
        validityPeriodHours: plan.validityHours,
        earlyRenewalHours: plan.earlyRenewalHours,
        allowedUses: SERVICE_USES,
      },
      opts,
    );
    return [
      { name: tlsSecretName(s.name, "key"), value: key.privateKeyPem },
      { name: tlsSecretName(s.name, "crt"), value: cert.certPem },
    ];
  });
  const store = new SecretStore(`${name}-tls`, { secrets }, opts);
  return { caCertPem: ca.certPem, store };
}
