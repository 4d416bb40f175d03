# The two commands a newcomer needs: `make run` and `make test` (see README.md).
GO ?= go

.PHONY: run test build check bench fuzz clean

## run: start Yol on its embedded defaults (private PostgreSQL, simulator at http://127.0.0.1:8080)
run:
	$(GO) run ./cmd/yol serve

## test: gofmt check, go vet and every test with the race detector, on a real PostgreSQL
test:
	./scripts/test

## build: build the yol binary into ./bin
build:
	$(GO) build -o bin/yol ./cmd/yol

## check: validate the content pack (dialogs, knowledge, locales)
check:
	$(GO) run ./cmd/yol check

## bench: the benchmarks whose figures README.md reports
bench:
	$(GO) test ./bot/dialog -run '^$$' -bench BenchmarkMessage -benchmem -count 5

clean:
	rm -rf bin
