import { basename } from "node:path";

/** `compose.yaml`, `docker-compose.yml`, `compose.override.yaml`, `docker-compose.prod.yml`, … */
const COMPOSE_NAME = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;

export function isComposeFileName(file: string): boolean {
  return COMPOSE_NAME.test(basename(file));
}

/**
 * True for YAML whose top level has a `services:` mapping and no Kubernetes `apiVersion`/`kind`:
 * Compose files are recognised by content as well as by name.
 */
export function looksLikeCompose(text: string): boolean {
  if (/^["']?(apiVersion|kind)["']?\s*:/m.test(text)) return false;
  return /^["']?services["']?\s*:\s*(#.*)?$/m.test(text) || /^["']?services["']?\s*:\s*\{/m.test(text);
}
