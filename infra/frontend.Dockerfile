# Web console image: build the Angular app, serve the static files with nginx.
# Two targets share the build:
#   console  plain HTTP on :80, proxying to one `backend` service (docker-compose.yml, for a developer)
#   edge     TLS on :443 and a redirect on :80, in front of the backend replicas (docker-compose.prod.yml)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY backend/package.json backend/package.json
COPY simulation/package.json simulation/package.json
COPY frontend/package.json frontend/package.json
RUN npm ci --workspace frontend --include-workspace-root --no-audit --no-fund
COPY frontend frontend
RUN npm run build -w frontend

FROM nginx:1.27-alpine AS static
COPY --from=build /app/dist/frontend /usr/share/nginx/html

# Production edge: openssl makes a self-signed certificate on first start when none is mounted
# (docker-entrypoint.d runs before nginx); curl is what its healthcheck calls.
FROM static AS edge
RUN apk add --no-cache openssl curl
COPY infra/nginx/edge.conf /etc/nginx/conf.d/default.conf
COPY infra/nginx/10-tls-certificate.sh /docker-entrypoint.d/10-tls-certificate.sh
RUN chmod 0755 /docker-entrypoint.d/10-tls-certificate.sh && mkdir -p /etc/nginx/tls
EXPOSE 80 443

FROM static AS console
COPY infra/nginx.conf /etc/nginx/conf.d/default.conf
EXPOSE 80
