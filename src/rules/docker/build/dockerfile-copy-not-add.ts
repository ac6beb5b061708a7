import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf } from "./dockerfile";

const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz)$/i;
const REMOTE = /^(https?|git|ssh):\/\/|^git@/i;

/** The source arguments of ADD/COPY (every argument but the destination). */
function sources(args: string[]): string[] {
  return args.slice(0, -1);
}

function addArguments(text: string, execForm: string[] | undefined): string[] {
  return (
    execForm ??
    text
      .trim()
      .split(/\s+/)
      .filter((w) => !w.startsWith("--"))
  );
}

export const dockerfileCopyNotAdd = defineRule({
  id: "dockerfile-copy-not-add",
  title: "Files are copied with COPY, not ADD",
  severity: "medium",
  rationale:
    "ADD silently fetches URLs and unpacks archives. A remote ADD pulls unverified content into the image (and bypasses the build cache), and a local ADD can unpack a tarball where a plain copy was meant.",
  remediation:
    "Use COPY for local files. For remote files, download them in a RUN with a checksum check (or use `ADD --checksum=sha256:…`).",
  references: {
    cis: ["4.9"],
    checkov: ["CKV_DOCKER_4"],
    hadolint: ["DL3020"],
    kics: ["9513a694-aa0d-41d8-be61-3271e056f36b"],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "ADD").flatMap(({ index, instruction }) => {
      const srcs = sources(addArguments(instruction.text, instruction.execForm));
      const remote = srcs.filter((s) => REMOTE.test(s));
      if (remote.length > 0) {
        if (instruction.flags.checksum) return [];
        return [
          {
            path: instructionPath(index),
            message: `ADD fetches ${remote.join(", ")} without --checksum; download and verify it in a RUN instead`,
          },
        ];
      }
      // Extracting a local archive is the one thing only ADD does (hadolint DL3010 even recommends it).
      if (srcs.length > 0 && srcs.every((s) => ARCHIVE.test(s))) return [];
      return [
        {
          path: instructionPath(index),
          message: `use COPY instead of ADD for ${srcs.join(", ") || "local files"}`,
        },
      ];
    });
  },
});
