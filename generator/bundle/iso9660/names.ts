/**
 * File names in the three namespaces of the image: the ISO 9660 level-1 identifier of the primary
 * tree (8.3 upper case, `;1` version, as genisoimage derives it: `user-data` → `USER_DAT.;1`), the
 * Joliet identifier (the name itself in UCS-2, without a version, as genisoimage writes it) and the
 * Rock Ridge NM name (the name itself). Guarantees: pure; names outside the portable set, longer than
 * Joliet's 64 characters, or two names that map to one 8.3 identifier are refused (internal error:
 * the caller passes fixed, known names); the comparators order a directory as ECMA-119 9.3 requires.
 */

/** Portable POSIX file names, not starting with a dot, at most 64 characters (the Joliet limit) */
const PORTABLE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export interface FileNames {
  /** the real name: Rock Ridge NM and Joliet */
  name: string;
  /** level-1 base name (≤ 8 d-characters) and extension (≤ 3), without the dot and version */
  base: string;
  ext: string;
}

const dChars = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, "_");

/** `user-data` → {base USER_DAT, ext ""}; `a.tar.gz` → {base A_TAR, ext GZ} */
export function fileNames(name: string): FileNames {
  if (!PORTABLE.test(name)) throw new Error(`internal: ${JSON.stringify(name)} is not a portable file name for the ISO image`);
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot < 0 ? [name, ""] : [name.slice(0, dot), name.slice(dot + 1)];
  return { name, base: dChars(stem).slice(0, 8), ext: dChars(ext).slice(0, 3) };
}

/** 7.5.1 file identifier with version: `USER_DAT.;1` */
export function levelOneIdentifier(n: FileNames): string {
  return `${n.base}.${n.ext};1`;
}

/** Throws when two names map to one level-1 identifier (the primary tree could not tell them apart). */
export function assertDistinct(names: readonly FileNames[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const id = levelOneIdentifier(n);
    const other = seen.get(id);
    if (other !== undefined) throw new Error(`internal: ${other} and ${n.name} both map to the ISO 9660 name ${id}`);
    seen.set(id, n.name);
  }
}

const byPadded = (a: string, b: string) => {
  const w = Math.max(a.length, b.length);
  const [x, y] = [a.padEnd(w, " "), b.padEnd(w, " ")];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** ECMA-119 9.3: by base name then extension, each compared space-padded (versions are all 1) */
export function comparePrimary(a: FileNames, b: FileNames): number {
  return byPadded(a.base, b.base) || byPadded(a.ext, b.ext);
}

/** Joliet: by the UCS-2 code units of the name */
export function compareJoliet(a: FileNames, b: FileNames): number {
  return byPadded(a.name, b.name);
}
