import { readDockerfile } from "../adapters/dockerfile";
import { refuseText } from "../adapters/dockerfile/guard";
import type { SourceFile } from "./source-file";

/** Reads a Dockerfile into one `Build`. Dockerfiles have no automatic fixes. */
export function loadDockerfile(file: string, text: string): SourceFile {
  const refused = refuseText(file, text);
  if (refused) return { file, format: "dockerfile", resources: [], errors: [refused] };
  const { build, errors } = readDockerfile(file, text);
  return { file, format: "dockerfile", resources: build ? [build] : [], errors };
}
