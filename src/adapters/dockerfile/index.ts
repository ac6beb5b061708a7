export { refuseText } from "./guard";
export { type DockerfileReadResult, readDockerfile } from "./read";
