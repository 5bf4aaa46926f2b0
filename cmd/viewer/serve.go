package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/skyglass/skyglass/internal/server"
	"github.com/skyglass/skyglass/web"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runServe implements `viewer serve`.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (loopback by default)")
	var hips multiFlag
	fs.Var(&hips, "hips", "a local HiPS folder to serve under /hips/<name>/ (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	h, err := server.New(server.Options{Web: web.Files, HiPS: hips, Files: fs.Args()})
	if err != nil {
		fmt.Fprintln(stderr, "viewer:", err)
		return 1
	}
	defer h.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "viewer:", err)
		return 1
	}
	if _, err := web.Files.ReadFile("dist/skyglass.wasm"); err != nil {
		fmt.Fprintln(stderr, "viewer: warning: this binary has no wasm embedded (build it with `make`)")
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "Skyglass is serving on %s\n", url)
	for _, m := range h.Mounts {
		fmt.Fprintf(stdout, "  %s -> %s\n", m.URL, m.Path)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "viewer:", err)
		return 1
	}
	return 0
}
