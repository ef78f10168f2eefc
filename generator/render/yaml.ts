/**
 * Pinned YAML output: one place decides indentation, line width and quoting, so every rendered
 * document is byte-stable across runs and yaml package updates within the major.
 * Plain data (the common case) is written by plainYaml, which gives yaml's bytes for it directly;
 * everything else goes through yaml itself.
 */
import { stringify } from "yaml";
import { GENERATED_HEADER } from "../core/generated.js";
import { plainYaml } from "../core/plain-yaml.js";

/** yaml's options for every rendered document (plain-yaml.ts writes exactly this layout). */
export const YAML_OPTIONS = { indent: 2, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false } as const;

/** Stringifies plain data with fixed options; key order is the object's insertion order. */
export function toYaml(data: unknown): string {
  return plainYaml(data) ?? stringify(data, YAML_OPTIONS);
}

/** A YAML document with the generated-by header. */
export function yamlDocument(data: unknown): string {
  return GENERATED_HEADER + toYaml(data);
}
