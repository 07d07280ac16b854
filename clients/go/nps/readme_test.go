package nps_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's Go code is code the tests compile and run: the example program is cmd/example/main.go,
// and each other snippet is a region of a test, between "// README: <name>" and "// README: end".

var fencedGo = regexp.MustCompile("(?ms)^```go\n(.*?)^```$")

func readmeGoBlocks(t *testing.T) map[string]bool {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]bool{}
	for _, m := range fencedGo.FindAllStringSubmatch(string(readme), -1) {
		blocks[m[1]] = true
	}
	return blocks
}

func TestTheReadmeExampleProgramIsCmdExampleMainGo(t *testing.T) {
	main, err := os.ReadFile("../cmd/example/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !readmeGoBlocks(t)[string(main)] {
		t.Error("README.md has no ```go block equal to cmd/example/main.go: copy the file into the README")
	}
}

func TestEveryReadmeRegionOfTheTestsIsInTheReadme(t *testing.T) {
	blocks := readmeGoBlocks(t)
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	regions := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for name, body := range readmeRegions(string(src)) {
			regions++
			if !blocks[body] {
				t.Errorf("README.md has no ```go block equal to the region %q of %s:\n%s", name, f, body)
			}
		}
	}
	if regions == 0 {
		t.Error("no README regions found in the tests")
	}
}

// readmeRegions returns each region's lines, without the indentation they share.
func readmeRegions(src string) map[string]string {
	regions := map[string]string{}
	var name string
	var lines []string
	for _, line := range strings.SplitAfter(src, "\n") {
		marker := strings.TrimSpace(line)
		switch {
		case marker == "// README: end" && name != "":
			regions[name] = dedent(lines)
			name, lines = "", nil
		case strings.HasPrefix(marker, "// README: "):
			name = strings.TrimPrefix(marker, "// README: ")
		case name != "":
			lines = append(lines, line)
		}
	}
	return regions
}

func dedent(lines []string) string {
	indent := ""
	found := false
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lead := line[:len(line)-len(strings.TrimLeft(line, "\t"))]
		if !found || len(lead) < len(indent) {
			indent, found = lead, true
		}
	}
	var b strings.Builder
	for _, line := range lines {
		b.WriteString(strings.TrimPrefix(line, indent))
	}
	return b.String()
}
