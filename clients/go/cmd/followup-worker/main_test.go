package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
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
	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// The worker against the live server: it must hand every detractor of its group to its handler and acknowledge
// it, also when its connection is cut while it works; what the server says afterwards (GetFollowUpBacklog,
// ListResponses) is the proof.

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
	w := &workerProcess{cmd: exec.Command(binary, args...), exited: make(chan error, 1)}
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

// wait waits for the worker to exit by itself and fails unless it exits 0.
func (w *workerProcess) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-w.exited:
		t.Logf("the worker printed:\n%s", strings.Join(w.output(), "\n"))
		if err != nil {
			t.Fatalf("the worker failed: %v", err)
		}
	case <-time.After(60 * time.Second):
		_ = w.cmd.Process.Kill()
		t.Fatalf("the worker did not stop within 60 s; it printed:\n%s", strings.Join(w.output(), "\n"))
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
