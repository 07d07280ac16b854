package main

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// TestTheExampleSubmitsToAProductOfItsOwnAndPrintsItsScore runs the program as the README does (go run)
// against the live server.
func TestTheExampleSubmitsToAProductOfItsOwnAndPrintsItsScore(t *testing.T) {
	addr := os.Getenv("NPS_SERVER_ADDRESS")
	if addr == "" {
		t.Fatal("NPS_SERVER_ADDRESS is not set: run the tests through clients/go/test.sh or start a live server")
	}
	out, err := exec.Command("go", "run", ".", "-addr", addr).CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	for _, want := range []string{
		`(?m)^rejected: responses\[10\]\.score: .*REJECTION_REASON_SCORE_OUT_OF_RANGE`,
		`(?m)^writer go-[0-9a-f-]{36}: added=11 acked=11 accepted=10 rejected=1 batches=[0-9]+ duplicates=0 reconnects=0 pending=0$`,
		`(?m)^example-go-[0-9a-f]{8}: NPS 30\.0 from 10 responses \(5 promoters, 3 passives, 2 detractors\), 95% CI `,
	} {
		if !regexp.MustCompile(want).Match(out) {
			t.Errorf("the output has no line matching %s", want)
		}
	}
}
