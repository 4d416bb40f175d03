package dialog

import (
	"io/fs"

	"github.com/yol-project/yol/bot/problem"
)

// LoadUnchecked loads content even when it has errors, so tests can check
// how the engine copes with broken content that Load would refuse.
func LoadUnchecked(fsys fs.FS, dir string) (*Set, []problem.Problem) { return load(fsys, dir) }
