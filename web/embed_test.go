package web

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWasmExecMatchesToolchain fails when web/wasm_exec.js is not the copy
// shipped with the Go toolchain that builds the wasm (they must match exactly).
func TestWasmExecMatchesToolchain(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	want, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatalf("reading the toolchain's wasm_exec.js: %v", err)
	}
	got, err := os.ReadFile("wasm_exec.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("web/wasm_exec.js differs from %s/lib/wasm/wasm_exec.js: run `make wasm` to copy it", goroot)
	}
}

// TestDefaultSkyEmbedded checks that the default HiPS and its credit line are in the binary.
func TestDefaultSkyEmbedded(t *testing.T) {
	props, err := Files.ReadFile("hips/mellinger/properties")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(props, []byte("obs_copyright")) || !bytes.Contains(props, []byte("Mellinger")) {
		t.Error("mellinger properties lost its credit line")
	}
	if _, err := Files.ReadFile("hips/mellinger/Norder3/Allsky.jpg"); err != nil {
		t.Error(err)
	}
}
