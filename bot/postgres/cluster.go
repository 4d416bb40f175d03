package postgres

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer means no PostgreSQL server binaries were found on this machine.
var ErrNoServer = errors.New("no PostgreSQL server binaries found (initdb, pg_ctl, postgres): install them, " +
	"for example `apt-get install postgresql` on Debian or Ubuntu, or set DATABASE_URL to an existing server")

// Cluster is a private PostgreSQL server that yol runs for itself from the
// machine's server binaries: data in a folder of its own, listening on
// 127.0.0.1 only, with a generated password.
type Cluster struct {
	Dir      string // the cluster's data directory
	BinDir   string
	Port     int
	password string
	cred     *syscall.Credential // run the server as this user (when yol is root)
	started  bool                // this process started it (so Stop stops it)
}

// FindServerBinaries looks for initdb and pg_ctl in PATH, in `pg_config
// --bindir`, and in /usr/lib/postgresql/*/bin (newest first).
func FindServerBinaries() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // the package's own folder, which also has pg_dump
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	candidates = append(candidates, dirs...)
	for _, d := range candidates {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "pg_ctl")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNoServer
}

// versionOf returns the PostgreSQL version in a Debian bin directory path
// (/usr/lib/postgresql/16/bin gives 16), or 0.
func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// isExecutable reports whether p is a file someone may execute.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// StartCluster starts (creating it on first use) the private cluster that
// lives in dataDir/postgres, and makes sure a database named db exists. A
// cluster still running from an earlier process is reused.
func StartCluster(ctx context.Context, dataDir, db string) (*Cluster, error) {
	bin, err := FindServerBinaries()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("private postgres: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("private postgres: create %s: %w", abs, err)
	}
	c := &Cluster{Dir: filepath.Join(abs, "postgres"), BinDir: bin}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		cred, err := unprivileged()
		if err != nil {
			return nil, err
		}
		c.cred = cred
		// The server user must pass through dataDir (not list it).
		if err := os.Chmod(abs, 0o711); err != nil {
			return nil, fmt.Errorf("private postgres: %w", err)
		}
		if !traversable(abs, cred) {
			return nil, fmt.Errorf("private postgres: yol runs as root and the server runs as uid %d, which cannot reach %s; "+
				"choose a YOL_DATA_DIR outside private home folders (for example /var/lib/yol) or set DATABASE_URL", cred.Uid, abs)
		}
	}
	pwFile := filepath.Join(abs, "postgres.password")
	if err := c.ensureInitialised(ctx, pwFile); err != nil {
		return nil, err
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		return nil, fmt.Errorf("private postgres: read password: %w", err)
	}
	c.password = strings.TrimSpace(string(pw))
	if port, ok := c.runningPort(); ok {
		c.Port = port
	} else if err := c.start(ctx); err != nil {
		return nil, err
	}
	if err := c.ensureDatabase(ctx, db); err != nil {
		c.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

// URL is the connection URL of database db in the cluster.
func (c *Cluster) URL(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword("yol", c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Started tells whether this process started the server (rather than
// finding it running).
func (c *Cluster) Started() bool { return c.started }

// Stop stops the server if this process started it.
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.started {
		return nil
	}
	c.started = false
	return c.pgctl(ctx, "stop", "-D", c.Dir, "-m", "fast", "-w", "-t", "30")
}

// ensureInitialised creates the cluster with initdb unless it exists,
// with user yol and the password from pwFile, which it makes when missing.
func (c *Cluster) ensureInitialised(ctx context.Context, pwFile string) error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err == nil {
		return nil
	}
	if _, err := os.Stat(pwFile); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(pwFile, []byte(randomHex(24)+"\n"), 0o600); err != nil {
			return fmt.Errorf("private postgres: write password: %w", err)
		}
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		return fmt.Errorf("private postgres: read password: %w", err)
	}
	if err := os.RemoveAll(c.Dir); err != nil { // a half-made cluster from an interrupted initdb
		return fmt.Errorf("private postgres: %w", err)
	}
	if err := os.Mkdir(c.Dir, 0o700); err != nil {
		return fmt.Errorf("private postgres: %w", err)
	}
	// initdb reads the password from a file the server user can read; it is
	// removed as soon as initdb is done.
	tmp := filepath.Join(filepath.Dir(c.Dir), "postgres.initpw")
	if err := os.WriteFile(tmp, pw, 0o600); err != nil {
		return fmt.Errorf("private postgres: %w", err)
	}
	if err := c.chown(c.Dir, tmp); err != nil {
		return err
	}
	cmd := c.command(ctx, filepath.Join(c.BinDir, "initdb"), "-D", c.Dir, "-U", "yol", "--pwfile", tmp,
		"--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	out, err := cmd.CombinedOutput()
	os.Remove(tmp)
	if err != nil {
		os.RemoveAll(c.Dir)
		return fmt.Errorf("private postgres: initdb failed: %w: %s", err, lastLines(string(out), 5))
	}
	return nil
}

// runningPort reads postmaster.pid of a server left running by an earlier
// process (for example after a crash) and checks that it answers.
func (c *Cluster) runningPort() (int, bool) {
	f, err := os.Open(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	if len(lines) < 4 {
		return 0, false
	}
	pid, err1 := strconv.Atoi(strings.TrimSpace(lines[0]))
	port, err2 := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err1 != nil || err2 != nil || syscall.Kill(pid, 0) != nil {
		return 0, false
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return 0, false
	}
	conn.Close()
	return port, true
}

// start starts the server on 127.0.0.1, on the port of the last start
// when it is free, else on a new free port, and waits until it is up.
func (c *Cluster) start(ctx context.Context) error {
	// Keep the port of the last start when it is free, so that connection
	// pools made before a restart of the server find it again.
	portFile := filepath.Join(filepath.Dir(c.Dir), "postgres.port")
	port := 0
	if b, err := os.ReadFile(portFile); err == nil {
		if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && portFree(p) {
			port = p
		}
	}
	if port == 0 {
		p, err := freePort()
		if err != nil {
			return fmt.Errorf("private postgres: find a free port: %w", err)
		}
		port = p
		if err := os.WriteFile(portFile, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
			return fmt.Errorf("private postgres: %w", err)
		}
	}
	logFile := filepath.Join(c.Dir, "server.log")
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on", port)
	if err := c.pgctl(ctx, "start", "-D", c.Dir, "-l", logFile, "-w", "-t", "60", "-o", opts); err != nil {
		b, _ := os.ReadFile(logFile)
		return fmt.Errorf("%w; server log: %s", err, lastLines(string(b), 8))
	}
	c.Port, c.started = port, true
	return nil
}

// ensureDatabase creates database db unless it exists.
func (c *Cluster) ensureDatabase(ctx context.Context, db string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("private postgres: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return fmt.Errorf("private postgres: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		return fmt.Errorf("private postgres: create database: %w", err)
	}
	return nil
}

// pgctl runs pg_ctl, adding the end of its output to an error.
func (c *Cluster) pgctl(ctx context.Context, args ...string) error {
	cmd := c.command(ctx, filepath.Join(c.BinDir, "pg_ctl"), args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("private postgres: pg_ctl %s: %w: %s", args[0], err, lastLines(string(out), 5))
	}
	return nil
}

// command returns a command run as the server's user, in its own process
// group, in a C.UTF-8 locale.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/"
	// Its own process group: Ctrl-C in yol's terminal must not reach the
	// server before yol has shut down cleanly and stopped it itself.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

// chown gives the paths to the server's user, when it runs as another
// user.
func (c *Cluster) chown(paths ...string) error {
	if c.cred == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return fmt.Errorf("private postgres: chown %s: %w", p, err)
		}
	}
	return nil
}

// unprivileged picks the user the server runs as when yol is root: the
// system's postgres user when there is one, else nobody.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("private postgres: yol runs as root and PostgreSQL refuses to; no 'postgres' or 'nobody' user to run it as")
}

// traversable reports whether the user can reach dir: every parent needs
// the search (x) bit for that user.
func traversable(dir string, cred *syscall.Credential) bool {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return false
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		switch {
		case d == dir:
			// yol owns dir; the cluster folder inside it is chowned, but dir
			// itself must let the server user pass.
			if mode&0o001 == 0 && !(ok && st.Gid == cred.Gid && mode&0o010 != 0) {
				return false
			}
		case ok && st.Uid == cred.Uid:
			if mode&0o100 == 0 {
				return false
			}
		case ok && st.Gid == cred.Gid:
			if mode&0o010 == 0 {
				return false
			}
		default:
			if mode&0o001 == 0 {
				return false
			}
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// portFree reports whether the TCP port is free on 127.0.0.1.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// freePort returns a TCP port free on 127.0.0.1 at the time of asking.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lastLines returns the last n lines of s joined with " | ", for error
// messages.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
