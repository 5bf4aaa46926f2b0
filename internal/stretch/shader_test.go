package stretch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShaderCompiles validates ShaderSource in a GLSL ES 3.00 fragment shader
// with glslangValidator (Debian glslang-tools) when it is installed; it is
// skipped otherwise.
func TestShaderCompiles(t *testing.T) {
	glslang, err := exec.LookPath("glslangValidator")
	if err != nil {
		t.Skip("glslangValidator not installed (apt-get install glslang-tools)")
	}
	srcs := []string{ShaderSource()}
	for k := range NumKinds {
		srcs = append(srcs, ShaderSourceFor(Kind(k)), ShaderSourcePlain(Kind(k)))
	}
	for i, s := range srcs {
		compileFragment(t, glslang, fmt.Sprintf("stretch%d.frag", i), s)
	}
}

// ShaderSourceFor fixes the kind: a constant, no uniform; the rest of the
// source is ShaderSource's.
func TestShaderSourceFor(t *testing.T) {
	generic := ShaderSource()
	if !strings.Contains(generic, "uniform int u_sgKind;") {
		t.Fatal("ShaderSource has no u_sgKind uniform")
	}
	for k := range NumKinds {
		s := ShaderSourceFor(Kind(k))
		c := fmt.Sprintf("const int u_sgKind = %d;", k)
		if !strings.Contains(s, c) || strings.Contains(s, "uniform int u_sgKind") {
			t.Errorf("kind %d: want %q and no uniform", k, c)
		}
		if strings.Replace(s, c, "uniform int u_sgKind;", 1) != generic {
			t.Errorf("kind %d: the source differs from ShaderSource beyond the kind", k)
		}
		// ShaderSourcePlain: the same without the contrast/bias step.
		plain := ShaderSourcePlain(Kind(k))
		step := strings.ReplaceAll(cbStep, "$LUTSIZE", fmt.Sprint(LUTSize))
		if !strings.Contains(s, step) || strings.Contains(plain, "u_sgBias) * u_sgContrast") || strings.Replace(s, step, "", 1) != plain {
			t.Errorf("kind %d: ShaderSourcePlain is not ShaderSourceFor without the contrast/bias step", k)
		}
	}
}

func compileFragment(t *testing.T, glslang, name, stretchSrc string) {
	t.Helper()
	src := "#version 300 es\nprecision highp float;\nprecision highp int;\n" + stretchSrc + `
uniform highp sampler2D u_img;
in vec2 v_uv;
out vec4 o;
void main() { o = skyglassColor(texture(u_img, v_uv).r) + vec4(skyglassStretch(0.5), 0.0); }
`
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(glslang, path).CombinedOutput()
	if err != nil {
		t.Fatalf("glslangValidator: %v\n%s", err, out)
	}
}
