export { isComposeFileName, looksLikeCompose } from "./detect";
export { type ExtendsOptions, mergeService, type ResolvedService, resolveServices } from "./extends";
export { type ComposeDocument, locateCompose, parseComposeYaml } from "./parse";
export { applyServicePatches, dockerBytes, type ServiceTarget, withHostIp } from "./patch";
export { parsePortSpec } from "./ports";
export { type ComposeReadOptions, type ComposeReadResult, readComposeFile } from "./read";
export { validateCompose } from "./schema";
export { capabilityName, type EntrySource, mapService, memoryQuantity, type ServiceSources } from "./service";
