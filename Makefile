# Skyglass build. `make run` serves the viewer; `make test` runs every check CI runs.
GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
ADDR      ?= 127.0.0.1:8080
FUZZTIME  ?= 5s

WASM      := web/dist/skyglass.wasm
VIEWER    := bin/viewer
GOSRC     := $(shell find . -name '*.go' -not -path './e2e/*' -not -path './bench/node_modules/*') go.mod $(wildcard go.sum)
WEBSRC    := $(shell find web -type f -not -path 'web/dist/*')

.PHONY: all run build wasm static test vet staticcheck gotest wasmbuild e2e e2e-deps bench fuzz fuzz-ci fuzz-pkgs clean

all: build

build: $(VIEWER)

## web/wasm_exec.js must be the toolchain's own copy (a test checks it).
web/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

wasm: $(WASM)

$(WASM): $(GOSRC) web/wasm_exec.js
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm
	gzip -9 -n -k -f $@
	$(GO) run ./tools/precompress $@

$(VIEWER): $(WASM) $(GOSRC) $(WEBSRC)
	$(GO) build -trimpath -o $@ ./cmd/viewer

## `make static` writes the files a static web server or CDN needs (docs/embedding.md) to $(STATIC).
STATIC    ?= build/static
WEBFILES  := index.html embed.html embed.js skyglass.js skyglass.mjs skyglass.d.ts skyglass.d.mts skyglass.css wasm_exec.js

static: $(WASM) web/wasm_exec.js
	rm -rf $(STATIC) && mkdir -p $(STATIC)/dist
	cd web && cp $(WEBFILES) $(CURDIR)/$(STATIC)/
	cp $(WASM) $(WASM).gz $(WASM).br $(STATIC)/dist/
	cp -r web/hips web/demo $(STATIC)/
	@echo "static: $(STATIC) holds the viewer; serve it from any web server (docs/embedding.md)"

run: $(VIEWER)
	@echo "Open http://$(ADDR)/"
	$(VIEWER) serve --addr $(ADDR)

test: vet staticcheck gotest fuzz-ci wasmbuild e2e

vet: web/wasm_exec.js
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm ./internal/gl
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo 'gofmt: files above need formatting'; exit 1; }

bin/staticcheck:
	GOBIN=$(CURDIR)/bin $(GO) install $(STATICCHECK)

staticcheck: bin/staticcheck
	bin/staticcheck ./...
	GOOS=js GOARCH=wasm bin/staticcheck ./wasm ./internal/gl

gotest: web/wasm_exec.js
	$(GO) test ./...

## The wasm build is a test of its own: everything under wasm/ must compile for GOOS=js.
wasmbuild: $(WASM)

e2e: $(VIEWER) e2e-deps static
	cd e2e && VIEWER=../$(VIEWER) STATIC=../$(STATIC) node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec *.test.mjs

e2e-deps: e2e/node_modules/.installed
	@sh e2e/ensure-chromium.sh

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	touch $@

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/...

## Short runs of fuzz targets (each FUZZTIME), on top of the seed corpora that `go test` runs.
## `make fuzz` runs every target; CI (`fuzz-ci`) runs the parsers and decoders of untrusted input.
FUZZ_CI_PKGS := ./internal/fits ./internal/fits/compress ./internal/hips ./internal/catalog ./internal/regions ./internal/wcs

fuzz:
	@$(MAKE) --no-print-directory fuzz-pkgs PKGS="$$($(GO) list ./internal/...)"

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz-pkgs PKGS="$(FUZZ_CI_PKGS)" FUZZTIME=2s

## Go 1.26's fuzz coordinator can end a run with a bare "context deadline exceeded" at the
## -fuzztime boundary (go.dev/issue/75804, fixed in Go 1.27): no input failed and nothing is
## written. A run fails here when the target fails in any other way, and always when it
## wrote a failing input under testdata/fuzz/.
fuzz-pkgs:
	@for pkg in $(PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; \
	    dir=$$($(GO) list -f '{{.Dir}}' $$pkg)/testdata/fuzz/$$f; \
	    before=$$(ls $$dir 2>/dev/null | wc -l); \
	    if ! $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=1s $$pkg > /tmp/skyglass-fuzz.log 2>&1; then \
	      after=$$(ls $$dir 2>/dev/null | wc -l); \
	      if [ "$$after" = "$$before" ] && grep -q '^    context deadline exceeded$$' /tmp/skyglass-fuzz.log && \
	         [ "$$(grep -c -- '--- FAIL' /tmp/skyglass-fuzz.log)" = 1 ] && ! grep -q 'Failing input' /tmp/skyglass-fuzz.log; then \
	        echo "  (go.dev/issue/75804: deadline race at the end of -fuzztime, no failing input)"; \
	      else cat /tmp/skyglass-fuzz.log; exit 1; fi; \
	    fi; \
	  done; \
	done

clean:
	rm -rf bin web/dist/skyglass.wasm web/dist/skyglass.wasm.gz e2e/artifacts
