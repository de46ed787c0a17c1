// How every launcher of the built backend starts node (why: docs/performance.md, "Seeded runs in
// bounded memory" and "Steady memory: glibc's allocator"). The Makefile's RUN_BACKEND and
// infra/backend.Dockerfile set the same; BACKEND_HEAP_MB overrides the heap bound there and here.
export const BACKEND_NODE_FLAGS = [`--max-old-space-size=${process.env.BACKEND_HEAP_MB ?? '256'}`];

// glibc's allocator left alone gives every busy thread an arena of its own and keeps freed memory
// mapped: two arenas, and blocks above 128 KB handed back to the system, cut the RSS a run leaves.
export const BACKEND_MALLOC_ENV = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
