# NTP Reservation Lab — every target works on a bare Debian machine with Node 20.
SHELL := /bin/bash
export NX_DAEMON := false
# No terminal UI: make dev starts the server in the same terminal right after the builds.
export NX_TUI := false
# Nx's own project-graph plugins run in this process, not in a worker process each (about a second less per run).
export NX_ISOLATE_PLUGINS := false
# Builds go through Nx's cache (nx.json: each build's inputs and its dist/<project> output, cache in .nx/cache):
# a project whose sources, tsconfigs and package-lock.json are unchanged is restored in about a second, not rebuilt.
NX := node_modules/.bin/nx
# The log formatter starts beside the backend: from node_modules/.bin (package-lock.json hoists it to the root),
# as npx would cost 0.5 s of CPU the backend's start competes for.
PINO_PRETTY := node_modules/.bin/pino-pretty --singleLine --ignore pid,hostname
LOG_DIR := .data/logs
# The backend's JS heap is bounded: left at V8's default (~4 GB here) it kept garbage it had no reason
# to collect, and a seeded run's peak RSS went past 500 MB (docs/performance.md, "Seeded runs in bounded memory").
BACKEND_HEAP_MB ?= 256
# glibc's allocator with two arenas, handing blocks above 128 KB back: less RSS left after a run
# (docs/performance.md, "Steady memory: glibc's allocator").
BACKEND_MALLOC_ENV ?= MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
# The cluster script reads the heap bound too (scripts/backend-node-flags.mjs, which holds the same settings).
export BACKEND_HEAP_MB
RUN_BACKEND := env $(BACKEND_MALLOC_ENV) node --max-old-space-size=$(BACKEND_HEAP_MB) dist/backend/main.js
NODE_STAMP := node_modules/.install-stamp
API ?= http://localhost:8000

.PHONY: cluster test-deps setup dev dev-backend dev-frontend prod build build-backend build-frontend test lint typecheck \
        simulation logs logs-backend logs-frontend clean help prod-local prod-down prod-config

help:
	@echo "make dev        set up and run the lab on the embedded store: API and console on http://localhost:8000"
	@echo "make test       run every test; ends with 'N passed, N failed, N skipped'"
	@echo "make prod       the production stack in Docker (docker-compose.prod.yml; infra/README.md)"
	@echo "make cluster    three backend nodes on one PostgreSQL log behind a balancer on :8000 (docs/cluster.md)"
	@echo "make setup | dev-backend | dev-frontend | prod-local | prod-down | simulation | logs | logs-backend | logs-frontend | lint"

$(NODE_STAMP): package.json package-lock.json backend/package.json simulation/package.json frontend/package.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

backend/.env:
	cp backend/.env.example backend/.env

build-backend: $(NODE_STAMP)
	$(NX) run @ntp-lab/backend:build

build-frontend: $(NODE_STAMP)
	$(NX) run @ntp-lab/frontend:build

# All three builds in one Nx run (one project graph, the projects in parallel).
setup: $(NODE_STAMP) backend/.env
	$(NX) run-many -t build

build: setup

# One process: the API on the embedded PGlite store, serving the built console at /.
dev: setup
	@mkdir -p $(LOG_DIR)
	@echo "API and console on http://localhost:8000 (API docs at /docs); logs in $(LOG_DIR)/backend.log"
	$(RUN_BACKEND) 2>&1 | tee $(LOG_DIR)/backend.log | $(PINO_PRETTY)

dev-backend: $(NODE_STAMP) backend/.env build-backend
	@mkdir -p $(LOG_DIR)
	@echo "API on http://localhost:8000 (docs at /docs); logs in $(LOG_DIR)/backend.log"
	$(RUN_BACKEND) 2>&1 | tee $(LOG_DIR)/backend.log | $(PINO_PRETTY)

# The console with live reload on :4200, proxying the API to a backend on :8000 (start one with make dev-backend).
dev-frontend: $(NODE_STAMP)
	@mkdir -p $(LOG_DIR)
	@echo "console on http://localhost:4200 (proxies /api, /health, /docs to :8000); logs in $(LOG_DIR)/frontend.log"
	npm run start -w frontend 2>&1 | tee $(LOG_DIR)/frontend.log

# The production stack in containers: a three-node EventStoreDB cluster, PostgreSQL with
# scheduled backups, three backend replicas and nginx with TLS (docker-compose.prod.yml;
# its secrets, certificates and backups: infra/README.md). Needs a running Docker engine.
PROD_COMPOSE_FILE := docker-compose.prod.yml
DOCKER_COMPOSE = $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
# Why the production stack cannot run here (empty when it can); checked only by the targets that need it.
docker_problem = $(shell if ! command -v docker >/dev/null 2>&1; then echo "there is no docker command on this machine"; \
  elif ! timeout 20 docker info >/dev/null 2>&1; then echo "the Docker engine is not reachable (docker info failed)"; fi)
# $(error) stops make with this one line (and a non-zero status) before anything runs.
define require_docker
$(if $(docker_problem),$(error make $@: $(docker_problem); the production stack needs Docker - make prod-local runs the API without it))
endef

prod:
	$(require_docker)
	$(DOCKER_COMPOSE) -f $(PROD_COMPOSE_FILE) up -d --build
	@echo "the lab is starting on https://localhost (docker-compose -f $(PROD_COMPOSE_FILE) ps; logs: ... logs -f nginx backend-1)"

prod-down:
	$(require_docker)
	$(DOCKER_COMPOSE) -f $(PROD_COMPOSE_FILE) down

# Resolves the production compose file with the secrets from the environment (no Docker engine needed).
prod-config:
	docker-compose -f $(PROD_COMPOSE_FILE) config -q && echo "$(PROD_COMPOSE_FILE): valid"

# One production process without containers: the built API (serving the console) with NODE_ENV=production.
# The lab as a cluster on this machine, no Docker: its own PostgreSQL server (.data/cluster), three backend
# nodes sharing one log, each hosting some booking servers, and a load balancer on :8000. Ctrl-C stops it all.
cluster: setup
	node scripts/cluster/run-cluster.mjs $(CLUSTER_ARGS)

prod-local: setup
	@mkdir -p $(LOG_DIR)
	NODE_ENV=production $(RUN_BACKEND) 2>&1 | tee -a $(LOG_DIR)/backend.log

typecheck: $(NODE_STAMP)
	cd backend && npx tsc --noEmit -p tsconfig.json
	cd simulation && npx tsc --noEmit -p tsconfig.json
	cd frontend && npx tsc --noEmit -p tsconfig.spec.json

lint: $(NODE_STAMP)
	@npx nx show projects >/dev/null  # builds the project graph the module-boundary rule reads
	npx eslint .
	npx prettier --check .

# Debian packages the tests use for real parts (a browser, an NTP server), installed when missing and
# this user may; otherwise the tests that need them skip with a printed reason.
test-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/sbin/chronyd || missing="$$missing chrony"; \
	test -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 || missing="$$missing faketime"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing from Debian:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null; \
	  else echo "not root: the tests that need$$missing will skip"; fi; \
	fi

test: typecheck lint test-deps
	npm run api:check -w frontend
	node scripts/run-tests.mjs

# The seed's demo: major_drift and concurrent reservations against the dev backend (make dev in another terminal).
# It signs in with the password make dev generated (.data/operator-password), or NTP_LAB_TOKEN / NTP_LAB_PASSWORD.
simulation: $(NODE_STAMP)
	$(NX) run @ntp-lab/simulation:build
	node simulation/bin/ntp-sim.js live --api $(API) --scenario major_drift --seats 5 --attempts 4 \
	  $(if $(wildcard .data/operator-password),--password-file .data/operator-password)

logs: logs-backend

logs-backend:
	@test -f $(LOG_DIR)/backend.log || { echo "no backend log yet: start it with make dev" >&2; exit 1; }
	tail -n 200 -f $(LOG_DIR)/backend.log

logs-frontend:
	@test -f $(LOG_DIR)/frontend.log || { echo "no console log yet: start it with make dev-frontend" >&2; exit 1; }
	tail -n 200 -f $(LOG_DIR)/frontend.log

clean:
	rm -rf dist coverage backend/coverage .nx frontend/.angular
