/** SecureService's public fields, in sorted order: the schema's outputs and the instance's fields both. */
export const SECURE_SERVICE_OUTPUTS = [
  "containerIds",
  "containerNames",
  "deploymentName",
  "image",
  "namespace",
  "networkName",
  "serviceAccountName",
  "serviceName",
];
