// Command yol runs the Yol assistant and its tools. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// main runs yol with the command-line arguments until it is done or
// interrupted, and exits with its code.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
