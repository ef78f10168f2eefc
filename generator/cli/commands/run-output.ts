/**
 * What `gen --format F` writes, batch by batch as bundle/generate.ts streamCluster renders them: each
 * batch goes into the output's staging directory at once (io/write-dir.ts openOutput), with, per node,
 * its seed.iso (--format iso, all) and its nodes/NODE.tar.gz (--format tar.gz, zip, all); commit writes
 * the whole-output archives beside it (OUT.tar.gz, OUT.zip) under temporary names while it swaps the
 * output in, and names them once it is.
 * Guarantees: the whole-output archives and the node archives are compressed on the deflate threads
 * while later nodes render (only their compressed bytes stay in memory), node archives at most
 * ARCHIVES_AHEAD at a time; a failure anywhere leaves the previous output (abort removes the staging
 * directory) and no archive beside it; the whole-output archives list the batches in the order
 * they were emitted (the operator's files, each node in the profile's order, the report), each batch
 * in path order.
 */
import { basename } from "node:path";
import { encodedBundle, makeBundle, type Artifact } from "../../bundle/artifact.js";
import { nodeArchiveArtifact, nodeArchives, outputForms, wholeOutput } from "../../bundle/archives.js";
import { withSeedIsos } from "../../bundle/seed-iso.js";
import { comparedPath, fileHash } from "../../bundle/manifest.js";
import { messages } from "../../core/messages.js";
import { DISK_CODES, userFs, userFsAsync } from "../../io/fs-errors.js";
import { stageArchiveFile } from "../../io/archive-file.js";
import { openOutput } from "../../io/write-dir.js";
import type { OutputFormat } from "../args.js";

/** Node archives being compressed while the next nodes render. */
const ARCHIVES_AHEAD = 8;

export interface RunOutput {
  /** One batch of artifacts (the operator's files, a node's, the report). */
  emit(batch: Artifact[]): Promise<void>;
  /**
   * Swaps the output in and writes the whole-output archives; returns the number of files in the
   * output. `stamp` receives the hashes (bundle/manifest.ts fileHash) of the files that manifest.json
   * does not list (run metadata, seed ISOs, archives: the whole-output ones as ../NAME.FORMAT) and
   * gives the marker's stamp (up-to-date.ts), or undefined for none.
   */
  commit(stamp?: (unlisted: ReadonlyMap<string, string>) => string | undefined): Promise<number>;
  /** After a failure: removes what was staged. */
  abort(): Promise<void>;
  /** Whether some node got a seed.iso (--format iso and all). */
  readonly isos: boolean;
}

export interface RunOutputPaths {
  /** the output directory, symbolic links resolved */
  target: string;
  /** the output directory as the user named it */
  out: string;
  force: boolean;
  cwd: string;
  show: (p: string) => string;
}

export async function openRunOutput(format: OutputFormat, p: RunOutputPaths): Promise<RunOutput> {
  const { isos, nodeArchives: perNode, whole } = outputForms(format);
  // the archive writers load only when an archive is asked for
  const archives = perNode || whole.length > 0 ? await import("../../io/archive.js") : undefined;
  const writer = await openOutput(p.target, { force: p.force, cwd: p.cwd, shown: p.show(p.out) });
  // the whole-output archives, made batch by batch (io/archive.ts)
  const prefix = `${basename(p.out)}/`;
  const builders = archives ? whole.map((f) => (f === "zip" ? new archives.ZipBuilder(prefix) : new archives.TarGzBuilder(prefix))) : [];
  const unlisted = new Map<string, string>();
  const add = (artifacts: readonly Artifact[], handOver: ReadonlySet<Uint8Array>) => {
    for (const a of artifacts) if (!comparedPath(a.path)) unlisted.set(a.path, fileHash(a.contents, a.mode));
    return writer.add(artifacts, handOver);
  };
  let anyIso = false;
  let pending: Promise<void>[] = [];
  let failed: { error: unknown } | undefined;
  const settle = async (upTo: number) => {
    while (pending.length > upTo) await pending.shift();
    if (failed) throw failed.error;
  };

  return {
    async emit(batch) {
      // with archives, each text is encoded once, for the writer and the archives that hold it (node
      // archive, tar.gz, zip; the writer thread gets bytes, copied as they are, not texts it would encode
      // again), before the seed ISOs, so that an ISO holds its node's very user-data bytes (archives
      // deflate those once: io/archive.ts)
      const given = new Set(batch.map((a) => a.contents));
      let b = archives ? encodedBundle(makeBundle(batch)) : makeBundle(batch);
      if (isos) {
        const withIso = withSeedIsos(b);
        anyIso ||= withIso.artifacts.length > b.artifacts.length;
        b = withIso;
      }
      // the bytes made here (texts encoded, seed ISOs) move to the writer's thread once the archives
      // have read them (each archive reads what it is given before its add returns: io/archive.ts)
      const made = new Set(b.artifacts.flatMap((a) => (typeof a.contents === "string" || given.has(a.contents) ? [] : [a.contents])));
      if (!archives) return add(b.artifacts, made);
      for (const builder of builders) builder.add(wholeOutput(b));
      for (const n of perNode ? nodeArchives(b) : []) {
        const archived = archives.archiveBytes(n.artifacts, "tar.gz", `${n.node}/`).then((contents) => add([nodeArchiveArtifact(n, contents)], new Set([contents])));
        pending.push(archived.catch((error: unknown) => void (failed ??= { error })));
      }
      await add(b.artifacts, made);
      await settle(ARCHIVES_AHEAD);
    },
    async commit(stamp) {
      await settle(0);
      // the whole-output archives are made before the swap: their hashes go into the stamp
      const made = await Promise.all(builders.map((b) => b.bytes()));
      for (const [i, bytes] of made.entries()) unlisted.set(`../${basename(p.target)}.${whole[i]}`, fileHash(bytes, 0o600));
      // written under temporary names while the output is swapped in, named after it
      const staged = made.map((bytes, i) => stageArchiveFile(`${p.target}.${whole[i]}`, bytes));
      const discard = async () => {
        await Promise.allSettled(staged.map((s) => s.written));
        for (const s of staged) s.discard();
      };
      try {
        await writer.commit(stamp?.(unlisted));
        for (const [i, s] of staged.entries()) {
          const file = `${p.out}.${whole[i]}`;
          await userFsAsync("write", p.show(file), () => s.written, undefined, DISK_CODES);
          // naming it can also meet the user's own entry there (a directory): their fault, not a bug
          userFs("write", p.show(file), () => s.place());
          process.stderr.write(messages.cli.archiveWritten(p.show(file), made[i].length));
        }
      } catch (e) {
        await discard();
        throw e;
      }
      return writer.count;
    },
    async abort() {
      await Promise.all(pending);
      pending = [];
      await writer.abort();
    },
    get isos() {
      return anyIso;
    },
  };
}
