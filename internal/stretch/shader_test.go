package stretch

import (
	"os"
	"os/exec"
	"path/filepath"
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
	src := "#version 300 es\nprecision highp float;\nprecision highp int;\n" + ShaderSource() + `
uniform highp sampler2D u_img;
in vec2 v_uv;
out vec4 o;
void main() { o = skyglassColor(texture(u_img, v_uv).r) + vec4(skyglassStretch(0.5), 0.0); }
`
	path := filepath.Join(t.TempDir(), "stretch.frag")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(glslang, path).CombinedOutput()
	if err != nil {
		t.Fatalf("glslangValidator: %v\n%s", err, out)
	}
}
