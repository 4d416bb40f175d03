package main

import (
	"errors"
	"io"
	"io/fs"
	"testing"
	"testing/fstest"
)

// TestMountRootReadDir: the synthetic root lists its mounts in name order,
// in chunks when asked, with io.EOF at the end (the fs.ReadDirFile
// contract).
func TestMountRootReadDir(t *testing.T) {
	m := mountFS{"b": fstest.MapFS{"x.yaml": {Data: []byte("x")}}, "a": fstest.MapFS{"y.yaml": {Data: []byte("y")}},
		"c": fstest.MapFS{"z.yaml": {Data: []byte("z")}}}
	f, err := m.Open(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := f.(fs.ReadDirFile)
	var names []string
	for {
		es, err := dir.ReadDir(2)
		for _, e := range es {
			names = append(names, e.Name())
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || len(es) == 0 {
			t.Fatalf("ReadDir(2) = %v, %v", es, err)
		}
	}
	if got := len(names); got != 3 || names[0] != "a" || names[2] != "c" {
		t.Errorf("names = %v, want a b c", names)
	}
	if es, err := dir.ReadDir(-1); len(es) != 0 || err != nil {
		t.Errorf("ReadDir(-1) after the end = %v, %v; want nothing, no error", es, err)
	}
}
