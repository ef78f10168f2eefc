/**
 * Pinned YAML output: one place decides indentation, line width and quoting, so every rendered
 * document is byte-stable across runs and yaml package updates within the major.
 */
import { stringify } from "yaml";
import { GENERATED_HEADER } from "../core/generated.js";

/** Stringifies plain data with fixed options; key order is the object's insertion order. */
export function toYaml(data: unknown): string {
  return stringify(data, { indent: 2, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}

/** A YAML document with the generated-by header. */
export function yamlDocument(data: unknown): string {
  return GENERATED_HEADER + toYaml(data);
}
