// The flags every launcher of the built backend passes to node: the heap bound of `make dev`
// (Makefile, BACKEND_HEAP_MB; why: docs/performance.md, "Seeded runs in bounded memory").
export const BACKEND_NODE_FLAGS = [`--max-old-space-size=${process.env.BACKEND_HEAP_MB ?? '256'}`];
