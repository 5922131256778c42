# The entry points people type. `make run` starts every service; `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
DATA_DIR ?= $(CURDIR)/var
# A hung test run fails here instead of holding CI for its whole allowance.
TEST_TIMEOUT ?= 45m

.PHONY: help deps build release run test bench clean

help:
	@echo "make run    - build and start kip-building, kip-succession and kip-deposits on SQLite ($(DATA_DIR))"
	@echo "make test   - build and run every test (installs missing system packages)"
	@echo "make bench  - measure the event log (release build), see docs/benchmarks.md"
	@echo "make clean  - remove build folders and local data"

deps:
	@Deploy/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --scratch-path .build-release

run: build
	@KIP_DATA_DIR="$(DATA_DIR)" Deploy/run-local.sh "$(CURDIR)/.build/debug"

# One throwaway PostgreSQL per run (loopback, a free port) for the PostgreSQL suites; removed after.
test: deps
	@Deploy/install-test-tools.sh
	$(SWIFT) build --build-tests
	@status=0; pgdir=/tmp/kip-postgres-run-$$$$; run=kip-tests-run-$$$$; \
	  trap 'Deploy/test-postgres.sh stop "$$pgdir"' EXIT; \
	  url=$$(Deploy/test-postgres.sh start "$$pgdir") || exit 1; \
	  echo "PostgreSQL for this run: $$url"; \
	  KIP_TEST_POSTGRES_URL="$$url" KIP_TESTS_RUN="$$run" timeout --kill-after=30s $(TEST_TIMEOUT) $(SWIFT) test --skip-build || status=$$?; \
	  if [ $$status -eq 124 ] || [ $$status -eq 137 ]; then echo "make test: the tests did not end within $(TEST_TIMEOUT); stopped"; fi; \
	  Deploy/test-postgres.sh stop "$$pgdir"; \
	  rm -rf "/dev/shm/$$run" "$${TMPDIR:-/tmp}/$$run"; exit $$status

bench: release
	.build-release/release/kip-bench log

clean:
	rm -rf .build .build-release var
