# NTP Reservation Lab — every target works on a bare Debian machine with Node 20.
SHELL := /bin/bash
export NX_DAEMON := false
LOG_DIR := .data/logs
NODE_STAMP := node_modules/.install-stamp

.PHONY: setup dev dev-backend dev-frontend prod build test lint typecheck simulation logs logs-backend logs-frontend clean help

help:
	@echo "make dev       set up and run the lab on the embedded store (API on :8000)"
	@echo "make test      run every test; ends with 'N passed, N failed, N skipped'"
	@echo "make setup | dev-backend | dev-frontend | prod | simulation | logs | logs-backend | logs-frontend | lint"

$(NODE_STAMP): package.json package-lock.json backend/package.json simulation/package.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

setup: $(NODE_STAMP)
	@test -f backend/.env || cp backend/.env.example backend/.env
	npm run build -w backend

build: setup

dev: setup
	@mkdir -p $(LOG_DIR)
	@echo "API on http://localhost:8000 (docs at /docs); logs in $(LOG_DIR)/backend.log"
	node dist/backend/main.js 2>&1 | tee $(LOG_DIR)/backend.log | npx pino-pretty --singleLine --ignore pid,hostname

dev-backend: dev

dev-frontend:
	@echo "The web console arrives with issue #6 (frontend/); nothing to serve yet." >&2
	@exit 2

prod: setup
	@mkdir -p $(LOG_DIR)
	NODE_ENV=production node dist/backend/main.js 2>&1 | tee -a $(LOG_DIR)/backend.log

typecheck: $(NODE_STAMP)
	cd backend && npx tsc --noEmit -p tsconfig.json

lint: $(NODE_STAMP)
	@npx nx show projects >/dev/null  # builds the project graph the module-boundary rule reads
	npx eslint .
	npx prettier --check .

test: typecheck lint
	node scripts/run-tests.mjs

simulation:
	@echo "The simulation CLI arrives with issue #7 (simulation/); nothing to run yet." >&2
	@exit 2

logs: logs-backend

logs-backend:
	@test -f $(LOG_DIR)/backend.log || { echo "no backend log yet: start it with make dev" >&2; exit 1; }
	tail -n 200 -f $(LOG_DIR)/backend.log

logs-frontend:
	@echo "The web console arrives with issue #6; it has no log yet." >&2
	@exit 2

clean:
	rm -rf dist coverage backend/coverage .nx
