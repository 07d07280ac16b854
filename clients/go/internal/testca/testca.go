// Package testca makes certificates for the SDK's tests.
package testca

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// NotTheServersCA writes a self-signed CA certificate that did not sign the server's certificate (openssl, into a
// temporary folder removed after the test) and returns its file.
func NotTheServersCA(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
		"-subj", "/CN=not-the-server-ca", "-keyout", filepath.Join(dir, "k.pem"), "-out", caFile).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl req: %v\n%s", err, out)
	}
	return caFile
}
