# redis-dock: `make up` brings up a cluster, `make test` runs every test.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/redis-dock/redis-dock/internal/app.Version=$(VERSION)
BIN       := bin
export CGO_ENABLED := 0

.PHONY: build up down test unit bench lint deps clean

build: ## bin/redis-dock and the small in-image build bin/redis-dock-node
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/redis-dock ./cmd/redis-dock
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -tags nodeimage -o $(BIN)/redis-dock-node ./cmd/redis-dock

deps: ## install redis-server/redis-tools (and a Docker engine) when missing
	scripts/deps

up: deps build ## a healthy 3x1 cluster on ports 7000-7005
	$(BIN)/redis-dock up

down:
	$(BIN)/redis-dock down --volumes

test: deps build ## unit and integration tests against the real engine
	scripts/test

unit:
	$(GO) test -short ./...

bench: deps build ## time to a healthy cluster vs redis-cli and Docker's floor (BENCHFLAGS='-n 6 -rounds 1' for a quick run)
	REDIS_DOCK_NODE_BINARY=$(CURDIR)/$(BIN)/redis-dock-node $(GO) run ./scripts/bench $(BENCHFLAGS)
	REDIS_DOCK_NODE_BINARY=$(CURDIR)/$(BIN)/redis-dock-node $(GO) run ./scripts/reshardbench $(RESHARDFLAGS)

lint:
	gofmt -l . | (! grep .)
	$(GO) vet ./...
	$(GO) vet -tags nodeimage ./...

clean:
	rm -rf $(BIN)
