package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/npsgrpc/npsgrpc/clients/go/internal/tcpproxy"
	"github.com/npsgrpc/npsgrpc/clients/go/internal/testca"
	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// The worker against the live server: it must hand every detractor of its group to its handler and acknowledge
// it, also when its connection is cut while it works, and over TLS with an API key against the TLS twin; what the
// server says afterwards (GetFollowUpBacklog, ListResponses) is the proof. A wrong key ends it, and so does a CA
// file that did not sign the server's certificate.

const testConsumer = "worker-1"

var binary string // the worker, built once by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "followup-worker")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "followup-worker")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// workerProcess is the worker run as a process, its output read line by line while it runs.
type workerProcess struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	lines  []string
	exited chan error
}

func startWorker(t *testing.T, args ...string) *workerProcess {
	t.Helper()
	return startWorkerWithKey(t, "", args...)
}

// startWorkerWithKey runs the worker with apiKey as its NPS_API_KEY (none when empty).
func startWorkerWithKey(t *testing.T, apiKey string, args ...string) *workerProcess {
	t.Helper()
	w := &workerProcess{cmd: exec.Command(binary, args...), exited: make(chan error, 1)}
	// Only what the test gives: a key or CA file from the developer's environment must not change the run.
	for _, v := range os.Environ() {
		if !strings.HasPrefix(v, "NPS_API_KEY=") && !strings.HasPrefix(v, "NPS_SERVER_CA=") {
			w.cmd.Env = append(w.cmd.Env, v)
		}
	}
	if apiKey != "" {
		w.cmd.Env = append(w.cmd.Env, "NPS_API_KEY="+apiKey)
	}
	out, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w.cmd.Stderr = w.cmd.Stdout
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for s := bufio.NewScanner(out); s.Scan(); {
			w.mu.Lock()
			w.lines = append(w.lines, s.Text())
			w.mu.Unlock()
		}
		w.exited <- w.cmd.Wait()
	}()
	t.Cleanup(func() { _ = w.cmd.Process.Kill() })
	return w
}

func (w *workerProcess) output() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.lines...)
}

var acknowledgedLine = regexp.MustCompile(`^acknowledged (\S+) as CONTACTED$`)

// acknowledged is the distinct records the worker says it acknowledged, sorted.
func (w *workerProcess) acknowledged() []string {
	seen := map[string]bool{}
	for _, l := range w.output() {
		if m := acknowledgedLine.FindStringSubmatch(l); m != nil {
			seen[m[1]] = true
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (w *workerProcess) count(prefix string) int {
	n := 0
	for _, l := range w.output() {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// exitCode waits for the worker to exit by itself and returns its exit code.
func (w *workerProcess) exitCode(t *testing.T) int {
	t.Helper()
	return w.exitCodeWithin(t, 60*time.Second)
}

// exitCodeWithin is exitCode failing the test if the worker is still running after limit.
func (w *workerProcess) exitCodeWithin(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case err := <-w.exited:
		t.Logf("the worker printed:\n%s", strings.Join(w.output(), "\n"))
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		if err != nil {
			t.Fatalf("the worker failed: %v", err)
		}
		return 0
	case <-time.After(limit):
		_ = w.cmd.Process.Kill()
		t.Fatalf("the worker did not stop within %v; it printed:\n%s", limit, strings.Join(w.output(), "\n"))
		return -1
	}
}

// wait waits for the worker to exit by itself and fails unless it exits 0.
func (w *workerProcess) wait(t *testing.T) {
	t.Helper()
	if code := w.exitCode(t); code != 0 {
		t.Fatalf("the worker exited %d", code)
	}
}

func waitUntil(t *testing.T, what string, condition func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !condition(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

type fixture struct {
	t       *testing.T
	ctx     context.Context
	conn    *grpc.ClientConn
	client  npsv1.NpsServiceClient
	address string
}

func newFixture(t *testing.T) *fixture {
	address := os.Getenv("NPS_SERVER_ADDRESS")
	if address == "" {
		t.Fatal("NPS_SERVER_ADDRESS is not set: run the tests through clients/go/test.sh or start a live server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	conn, err := grpc.Dial(address, grpc.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &fixture{t: t, ctx: ctx, conn: conn, client: npsv1.NewNpsServiceClient(conn), address: address}
}

// secureServer is the live server's TLS + API key twin (see .ci/live-server.sh): its address, the file of its
// self-signed certificate, a key with the submit and read scopes and a key with the follow_up scope only.
func secureServer(t *testing.T) (address, caFile, submitAndReadKey, followUpKey string) {
	t.Helper()
	address, caFile = os.Getenv("NPS_SECURE_SERVER_ADDRESS"), os.Getenv("NPS_SECURE_SERVER_CA")
	submitAndReadKey, followUpKey = os.Getenv("NPS_SECURE_SERVER_API_KEY"), os.Getenv("NPS_SECURE_SERVER_FOLLOW_UP_API_KEY")
	if address == "" || caFile == "" || submitAndReadKey == "" || followUpKey == "" {
		t.Fatal("NPS_SECURE_SERVER_ADDRESS, _CA, _API_KEY and _FOLLOW_UP_API_KEY are not set: run the tests through clients/go/test.sh")
	}
	return address, caFile, submitAndReadKey, followUpKey
}

func uniqueID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("go-%s-%s", prefix, hex.EncodeToString(b[:]))
}

func workerArgs(address, group, product string, start time.Time, maxRecords int) []string {
	return []string{"-addr", address, "-group", group, "-consumer", testConsumer, "-product", product,
		"-max-records", fmt.Sprint(maxRecords), "-start-time", start.Format(time.RFC3339Nano)}
}

// submit sends the responses through the writer and waits until each is acknowledged.
func (f *fixture) submit(responses ...*npsv1.SurveyResponse) {
	w, err := nps.NewWriter(f.conn, nps.WriterOptions{})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range responses {
		if err := w.Add(f.ctx, r); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := w.Close(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

func response(product string, score int32, comment string) *npsv1.SurveyResponse {
	return &npsv1.SurveyResponse{ProductId: product, Score: proto.Int32(score), Comment: comment}
}

func (f *fixture) detractors(product string, first, count int) {
	var rs []*npsv1.SurveyResponse
	for i := first; i < first+count; i++ {
		rs = append(rs, response(product, int32(i%7), fmt.Sprintf("Detractor %d: the app crashed", i)))
	}
	f.submit(rs...)
}

// records lists every record of a product in the categories, page by page.
func (f *fixture) records(product string, category npsv1.ScoreCategory) []*npsv1.ResponseRecord {
	request := &npsv1.ListResponsesRequest{ProductId: product, PageSize: 1000, Categories: []npsv1.ScoreCategory{category}}
	var all []*npsv1.ResponseRecord
	for {
		page, err := f.client.ListResponses(f.ctx, request)
		if err != nil {
			f.t.Fatal(err)
		}
		all = append(all, page.GetRecords()...)
		if page.GetNextPageToken() == "" {
			return all
		}
		request.PageToken = page.GetNextPageToken()
	}
}

func (f *fixture) detractorIDs(product string) []string {
	var ids []string
	for _, r := range f.records(product, npsv1.ScoreCategory_SCORE_CATEGORY_DETRACTOR) {
		ids = append(ids, product+"/"+r.GetRecordId())
	}
	sort.Strings(ids)
	return ids
}

// assertAllDone checks the server's view: nothing waits or is in progress, every detractor is done by the
// worker as contacted, and the worker said it acknowledged exactly those.
func (f *fixture) assertAllDone(w *workerProcess, product, group string, count int) {
	t := f.t
	t.Helper()
	ids := f.detractorIDs(product)
	if len(ids) != count || strings.Join(w.acknowledged(), " ") != strings.Join(ids, " ") {
		t.Errorf("the worker acknowledged %v; the detractors are %v", w.acknowledged(), ids)
	}
	res, err := f.client.GetFollowUpBacklog(f.ctx, &npsv1.GetFollowUpBacklogRequest{Group: group, ProductIds: []string{product}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.GetBacklogs()) != 1 {
		t.Fatalf("want one backlog, got %v", res)
	}
	b := res.GetBacklogs()[0]
	if b.GetProductId() != product || b.GetWaitingCount() != 0 || b.GetInProgressCount() != 0 || b.GetDoneCount() != int64(count) ||
		b.GetDoneInIntervalCount() != int64(count) || b.GetMedianTimeToDone() == nil {
		t.Errorf("want nothing waiting or in progress and %d done, got %v", count, b)
	}
	for _, r := range f.records(product, npsv1.ScoreCategory_SCORE_CATEGORY_DETRACTOR) {
		found := false
		for _, fu := range r.GetFollowUps() {
			found = found || (fu.GetGroup() == group && fu.GetConsumer() == testConsumer &&
				fu.GetOutcome() == npsv1.FollowUpOutcome_FOLLOW_UP_OUTCOME_CONTACTED && fu.GetNote() == "called back by "+testConsumer)
		}
		if !found {
			t.Errorf("record %s has no follow-up of %s/%s: %v", r.GetRecordId(), group, testConsumer, r.GetFollowUps())
		}
	}
}

func TestTheWorkerAcknowledgesEveryDetractorOfItsGroupAndTheBacklogShowsThemDone(t *testing.T) {
	f := newFixture(t)
	product, group := uniqueID("worker"), uniqueID("team")
	start := time.Now().Add(-time.Second)
	var rs []*npsv1.SurveyResponse
	for i := int32(0); i < 5; i++ {
		rs = append(rs, response(product, i, fmt.Sprintf("Slow checkout, try %d", i)))
	}
	rs = append(rs, response(product, 6, ""), // a detractor who wrote nothing is followed up too
		response(product, 10, "Love it"), // recorded for its comment, not of the group's category
		response(product, 8, ""))
	f.submit(rs...)

	w := startWorker(t, workerArgs(f.address, group, product, start, 6)...)
	w.wait(t)

	f.assertAllDone(w, product, group, 6)
	if w.count("handled 6 records") != 1 {
		t.Error("the worker did not say it handled 6 records")
	}
	if w.count("record "+product+"/") < 6 || !strings.Contains(strings.Join(w.output(), "\n"), ": Slow checkout, try 3\n") {
		t.Error("the worker did not print every record with its comment")
	}
	promoters := f.records(product, npsv1.ScoreCategory_SCORE_CATEGORY_PROMOTER)
	if len(promoters) != 1 || len(promoters[0].GetFollowUps()) != 0 {
		t.Errorf("want one promoter record, not followed up: %v", promoters)
	}
}

func TestAWorkerWhoseConnectionIsCutTwiceResumesAndEveryRecordEndsAcknowledged(t *testing.T) {
	const wave = 10
	f := newFixture(t)
	product, group := uniqueID("worker-drop"), uniqueID("team")
	start := time.Now().Add(-time.Second)
	f.detractors(product, 0, wave)
	proxy := tcpproxy.Start(t, f.address)
	// One delivery outstanding at a time: the worker is always in the middle of something when the cut comes.
	w := startWorker(t, append(workerArgs(proxy.Addr(), group, product, start, 2*wave), "-max-outstanding", "1")...)

	waitUntil(t, "the worker acknowledged three records", func() bool { return len(w.acknowledged()) >= 3 })
	// Swallow what the server sends next (a delivery, or the answer to an acknowledgement) before the cut: the
	// server holds a lease the worker never saw, or took an acknowledgement the worker must retry.
	proxy.HoldServerBytes()
	waitUntil(t, "the proxy swallowed the server's next bytes", func() bool { return proxy.Swallowed() > 0 })
	proxy.CutAll()
	waitUntil(t, "the worker reconnected", func() bool { return w.count("watching ") >= 2 })
	f.detractors(product, wave, wave) // recorded while the worker resumes
	waitUntil(t, "the worker reached the second wave", func() bool { return len(w.acknowledged()) >= wave+3 })
	proxy.CutAll()
	w.wait(t)

	if w.count("stream lost (") == 0 || proxy.Accepted() < 2 {
		t.Errorf("the worker lost %d streams over %d connections", w.count("stream lost ("), proxy.Accepted())
	}
	f.assertAllDone(w, product, group, 2*wave)
}

func TestOverTLSWithAFollowUpKeyTheWorkerAcknowledgesExactlyTheDetractorsOfItsGroup(t *testing.T) {
	f := newFixture(t)
	address, caFile, _, followUpKey := secureServer(t)
	product, group := uniqueID("worker-tls"), uniqueID("team")
	start := time.Now().Add(-time.Second)
	var rs []*npsv1.SurveyResponse
	for i := int32(0); i < 3; i++ {
		rs = append(rs, response(product, 2*i, fmt.Sprintf("Too expensive, take %d", i)))
	}
	rs = append(rs, response(product, 9, "Fast and friendly"), // recorded for its comment, not followed up
		response(product, 7, ""))
	f.submit(rs...)

	// As the README runs it against a production server: https:// address, the CA file, the key in NPS_API_KEY.
	w := startWorkerWithKey(t, followUpKey, append(workerArgs("https://"+address, group, product, start, 3), "-ca-file", caFile)...)
	w.wait(t)

	f.assertAllDone(w, product, group, 3)
	if w.count("handled 3 records") != 1 {
		t.Error("the worker did not say it handled 3 records")
	}
	promoters := f.records(product, npsv1.ScoreCategory_SCORE_CATEGORY_PROMOTER)
	if len(promoters) != 1 || len(promoters[0].GetFollowUps()) != 0 {
		t.Errorf("want one promoter record, not followed up: %v", promoters)
	}
}

func TestWithAWrongAPIKeyTheWorkerExits1NamingTheStatusInsteadOfRetrying(t *testing.T) {
	address, caFile, submitAndReadKey, _ := secureServer(t)
	for _, c := range []struct{ key, apiKey, status, detail string }{
		{"none", "", "UNAUTHENTICATED", "needs an API key"},
		{"unknown", "nps_" + uniqueID("key"), "UNAUTHENTICATED", "The API key is not valid"},
		{"without the follow_up scope", submitAndReadKey, "PERMISSION_DENIED", "it lacks the 'follow_up' scope"},
	} {
		args := append(workerArgs("https://"+address, uniqueID("team"), uniqueID("worker-key"), time.Now(), 1), "-ca-file", caFile)
		w := startWorkerWithKey(t, c.apiKey, args...)
		if code := w.exitCode(t); code != 1 {
			t.Errorf("key %s: the worker exited %d, want 1", c.key, code)
		}
		refused := false
		for _, l := range w.output() {
			refused = refused || (strings.HasPrefix(l, "follow-up stream refused: "+c.status+": ") && strings.Contains(l, c.detail))
		}
		if !refused || w.count("stream lost") != 0 {
			t.Errorf("key %s: want one refusal naming %s (%q) and no reconnect, got:\n%s", c.key, c.status, c.detail, strings.Join(w.output(), "\n"))
		}
	}
}

func TestWithACAFileThatDidNotSignTheServersCertificateTheWorkerExits1SayingSoInsteadOfReconnecting(t *testing.T) {
	address, _, _, followUpKey := secureServer(t)
	caFile := testca.NotTheServersCA(t)
	args := append(workerArgs("https://"+address, uniqueID("team"), uniqueID("worker-ca"), time.Now(), 1), "-ca-file", caFile)
	started := time.Now()
	w := startWorkerWithKey(t, followUpKey, args...)
	// Retrying with backoff would go on for ever; a wrong CA never heals, so the worker must stop at once.
	if code := w.exitCodeWithin(t, 30*time.Second); code != 1 {
		t.Errorf("the worker exited %d, want 1", code)
	}
	t.Logf("the worker stopped after %v", time.Since(started).Round(time.Millisecond))
	want := "the server's certificate was not verified against the CA file given (-ca-file " + caFile + "): "
	said := false
	for _, l := range w.output() {
		said = said || (strings.HasPrefix(l, want) && strings.Contains(l, "x509: certificate"))
	}
	if !said || w.count("stream lost") != 0 || w.count("watching ") != 0 {
		t.Errorf("want one line %q naming the x509 reason and no reconnect, got:\n%s", want+"x509: certificate ...", strings.Join(w.output(), "\n"))
	}
}
