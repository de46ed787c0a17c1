# Backend API image: build with the workspace, run the compiled app.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/package.json
COPY simulation/package.json simulation/package.json
RUN npm ci --workspace backend --include-workspace-root --no-audit --no-fund
COPY backend backend
RUN npx tsc -p backend/tsconfig.app.json

# Production dependencies only: the runtime image carries no compilers, test tools or type packages.
FROM node:20-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/package.json
COPY simulation/package.json simulation/package.json
RUN npm ci --omit=dev --workspace backend --include-workspace-root --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8000
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=build /app/dist/backend dist/backend
COPY backend/package.json backend/package.json
EXPOSE 8000
# The memory settings of `make dev` (Makefile, BACKEND_HEAP_MB and BACKEND_MALLOC_ENV);
# override NODE_OPTIONS or the MALLOC_ variables to change them.
ENV NODE_OPTIONS=--max-old-space-size=256 \
    MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
CMD ["node", "dist/backend/main.js"]
