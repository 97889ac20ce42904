# Kordon — make run opens the desktop application, make test runs every test.
# Both install the Debian packages they need (as root), or print the command.

GO       ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN      := bin/kordon
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/kordon/kordon/internal/cli.Version=$(VERSION)

BUILD_PKGS := gcc libc6-dev libgl-dev pkg-config libx11-dev libxcursor-dev \
              libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
TEST_PKGS  := $(BUILD_PKGS) xvfb xauth xdotool poppler-utils
BENCH_PKGS := xvfb xauth xdotool x11-utils
SHOT_PKGS  := $(BUILD_PKGS) xvfb xauth xdotool imagemagick sqlite3 poppler-utils
DIST_PKGS  := $(BUILD_PKGS) gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 file xz-utils

# Tests get their own HOME (Fyne writes preferences there) and a real locale;
# Go keeps its own caches where they were.
TEST_ENV := GOCACHE=$(shell $(GO) env GOCACHE) GOMODCACHE=$(shell $(GO) env GOMODCACHE) \
            HOME=$(CURDIR)/.cache/home LANG=en_US.UTF-8 KORDON_DATA= KORDON_LANG=

# The training store make bench searches: 100,000 records of 10 items.
BENCH_STORE := $(CURDIR)/.cache/bench-store

.PHONY: deps deps-test build run test bench crash lint screenshots dist clean

deps:
	@.ci/deps.sh $(BUILD_PKGS)

deps-test:
	@.ci/deps.sh $(TEST_PKGS)

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kordon

run: build
	./$(BIN)

# The packages whose goroutines the race detector checks. The desktop's tests
# are left out: Fyne's test driver runs fyne.Do on the calling goroutine, so
# every widget update from a job would be reported, though the real driver
# runs it on the main thread.
RACE_PKGS := ./internal/bundle ./internal/cli ./internal/report ./internal/service ./internal/store

test: deps-test lint
	@mkdir -p .cache/home
	$(TEST_ENV) $(GO) test -count=1 $$($(GO) list ./... | grep -v -E '/internal/(bundle|cli|report|service|store)$$')
	$(TEST_ENV) $(GO) test -race -count=1 $(RACE_PKGS)

lint:
	@out=$$(gofmt -l cmd internal assets translations); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run go mod tidy"; exit 1; }
	$(GO) vet ./...

$(BENCH_STORE)/kordon.db: internal/store/migrations/*.sql internal/demo/*.go | build
	rm -rf $(BENCH_STORE)
	./$(BIN) --data $(BENCH_STORE) demo --records 100000 --items 10

bench: build $(BENCH_STORE)/kordon.db
	@.ci/deps.sh $(BENCH_PKGS)
	@mkdir -p .cache/home
	$(TEST_ENV) KORDON_BENCH_STORE=$(BENCH_STORE) KORDON_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench . -benchtime 1x -count 1 \
	  ./internal/store/ ./internal/service/ ./internal/report/ ./internal/screening/ | tee .cache/bench.txt
	$(TEST_ENV) $(GO) test -run '^$$' -bench 'Network200' -benchtime 1x -count 1 ./internal/ui/ | tee -a .cache/bench.txt
	.ci/guibench.sh $(BIN) $(BENCH_STORE) | tee -a .cache/bench.txt
	@awk -f .ci/benchtable.awk .cache/bench.txt

crash: build
	.ci/crash.sh $(BIN) 20

screenshots: build
	@.ci/deps.sh $(SHOT_PKGS)
	.ci/screenshots.sh $(BIN) docs/screenshots

dist:
	@.ci/deps.sh $(DIST_PKGS)
	GO=$(GO) VERSION=$(VERSION) .ci/dist.sh

clean:
	rm -rf bin dist .cache
