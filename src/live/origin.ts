import type { Origin } from "../model";

/** A live object's origin: `docker://<engine>/<what>`, line and column 1 (there is no text to point into). */
export function engineOrigin(engine: string, what: string): Origin {
  const file = `docker://${engine}/${what}`;
  return { format: "docker-engine", file, location: { file, line: 1, column: 1 }, locations: new Map() };
}
