package postgres_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/yol-project/yol/bot/postgres"
)

// TestPrivateClusterAsNormalUser starts and stops the private cluster the
// way yol does when it does not run as root. Run as root (as in CI), the
// test runs a copy of itself as the unprivileged user "nobody".
func TestPrivateClusterAsNormalUser(t *testing.T) {
	if dir := os.Getenv("YOL_TEST_CLUSTER_DIR"); dir != "" {
		startStopAsMe(t, dir)
		return
	}
	if os.Geteuid() != 0 {
		startStopAsMe(t, filepath.Join(t.TempDir(), "data"))
		return
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("no unprivileged user to run as: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	base := t.TempDir()
	os.Chmod(base, 0o755)
	for d := filepath.Dir(base); d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		os.Chmod(d, 0o711)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "postgres.test")
	if err := copyFile(self, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(base, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chown(data, uid, gid)
	cmd := exec.Command(bin, "-test.run=^TestPrivateClusterAsNormalUser$", "-test.count=1")
	cmd.Env = append(os.Environ(), "YOL_TEST_CLUSTER_DIR="+data, "HOME="+data, "TMPDIR="+data)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as user nobody: %v\n%s", err, out)
	}
	t.Logf("as user nobody:\n%s", out)
}

func startStopAsMe(t *testing.T, dir string) {
	ctx := context.Background()
	c, err := postgres.StartCluster(ctx, dir, "yol")
	if err != nil {
		t.Fatalf("StartCluster as uid %d: %v", os.Geteuid(), err)
	}
	db, err := postgres.Open(ctx, c.URL("yol"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.Ping(ctx); err != nil {
		t.Errorf("ping as uid %d: %v", os.Geteuid(), err)
	}
	db.Close()
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("still running after Stop (%v)", err)
	}
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
