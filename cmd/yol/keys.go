package main

import (
	"context"
	"fmt"

	"github.com/yol-project/yol/bot/seal"
)

func (m *Main) keys(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(m.Stderr, "Usage: yol keys new [ID]\n\nPrints a new random key for YOL_DATA_KEY. To rotate, put the new key first:\nYOL_DATA_KEY=\"k2:NEW,k1:OLD\".")
		return 2
	}
	id := "k1"
	if len(args) > 1 {
		id = args[1]
	}
	k, err := seal.GenerateKey(id)
	if err == nil {
		_, err = seal.ParseKeyring(k) // validates the id
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	fmt.Fprintln(m.Stdout, k)
	return 0
}
