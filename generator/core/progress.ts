/**
 * Progress of a long run, as events a caller may listen to (the CLI draws them on stderr,
 * cli/progress.ts). Stages report `done` of `total` as they advance: certificates (a key generated and
 * signed, or one reused), nodes (a node's files and first-boot document rendered), files (written).
 * Guarantees: pure types and a no-op default; a stage's events arrive with `done` rising to `total`.
 */
export type ProgressStage = "certificates" | "nodes" | "files";

export interface ProgressEvent {
  stage: ProgressStage;
  done: number;
  total: number;
}

export type ProgressSink = (event: ProgressEvent) => void;

export const NO_PROGRESS: ProgressSink = () => undefined;
