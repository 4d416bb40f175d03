# Multi-stage build: a static yol binary on a small Debian base, run as a
# non-root user. PostgreSQL is a separate service (see compose.yaml); the
# private-cluster default is for local use only.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/yol ./cmd/yol

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/yol --create-home yol
COPY --from=build /out/yol /usr/local/bin/yol
USER yol
WORKDIR /var/lib/yol
ENV YOL_HTTP_ADDR=0.0.0.0:8080 YOL_DATA_DIR=/var/lib/yol
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/yol", "version"]
ENTRYPOINT ["/usr/local/bin/yol"]
CMD ["serve"]
