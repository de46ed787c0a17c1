/**
 * Who runs the projection. One process at a time applies batches to a read
 * model; the others follow its checkpoint. Correctness never depends on the
 * lease (every batch locks the checkpoint row and skips what is applied):
 * it only keeps several nodes from doing the same work.
 */
export interface ProjectionLease {
  /** True while this process holds the lease, as far as it knows. */
  readonly held: boolean;
  /** Takes the lease if it is free; true when held afterwards. Never throws. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** A single process: always the one that projects. */
export const soleProjectionLease: ProjectionLease = {
  held: true,
  tryAcquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};
