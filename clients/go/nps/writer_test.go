package nps_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/npsgrpc/npsgrpc/clients/go/internal/tcpproxy"
	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// These tests run against a live server at NPS_SERVER_ADDRESS (host:port, plaintext HTTP/2); test.sh
// starts one when it is not set.

func serverAddress(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("NPS_SERVER_ADDRESS")
	if addr == "" {
		t.Fatal("NPS_SERVER_ADDRESS is not set: run the tests through clients/go/test.sh or start a live server")
	}
	return addr
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.Dial(addr, grpc.WithInsecure())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// uniqueID makes product ids unique per run: the live Redis is shared with other SDKs' tests.
func uniqueID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("go-%s-%s", prefix, hex.EncodeToString(b[:]))
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// tally is what a product should read back: the count of each score 0 to 10.
type tally [11]int64

func (d tally) total() int64 {
	var n int64
	for _, c := range d {
		n += c
	}
	return n
}

// assertScores reads every product's score straight from the server and compares it with what was sent.
func assertScores(ctx context.Context, t *testing.T, client npsv1.NpsServiceClient, want map[string]*tally) {
	t.Helper()
	for product, dist := range want {
		res, err := client.GetScore(ctx, &npsv1.GetScoreRequest{ProductId: product})
		if err != nil {
			t.Errorf("GetScore %s: %v", product, err)
			continue
		}
		s := res.GetScore()
		if s.GetTotal() != dist.total() {
			t.Errorf("%s: total %d, want %d", product, s.GetTotal(), dist.total())
		}
		got := s.GetDistribution()
		if len(got) != 11 {
			t.Errorf("%s: distribution has %d counts, want 11", product, len(got))
			continue
		}
		for i := range dist {
			if got[i] != dist[i] {
				t.Errorf("%s: distribution %v, want %v", product, got, dist[:])
				break
			}
		}
	}
}

func response(product string, score int32) *npsv1.SurveyResponse {
	return &npsv1.SurveyResponse{ProductId: product, Score: proto.Int32(score)}
}

func TestWriterHappyPath(t *testing.T) {
	addr := serverAddress(t)
	ctx := testContext(t)
	goroutinesBefore := runtime.NumGoroutine()
	conn, err := grpc.Dial(addr, grpc.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	client := npsv1.NewNpsServiceClient(conn)

	w, err := nps.NewWriter(conn, nps.WriterOptions{MaxBatchSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	products := []string{uniqueID("happy-a"), uniqueID("happy-b"), uniqueID("happy-c"), uniqueID("happy-d")}
	want := map[string]*tally{}
	for _, p := range products {
		want[p] = &tally{}
	}
	const n = 3000
	for i := 0; i < n; i++ {
		p := products[i%len(products)]
		score := int32((i * 7) % 11)
		want[p][score]++
		if err := w.Add(ctx, response(p, score)); err != nil {
			t.Fatalf("Add %d: %v", i, err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st := w.Stats()
	if st.Added != n || st.Acked != n || st.Accepted != n || st.Rejected != 0 || st.Pending != 0 {
		t.Errorf("stats %+v, want %d added, acknowledged and accepted, none rejected or pending", st, n)
	}
	if st.Batches != n/200 {
		t.Errorf("%d batches acknowledged, want %d full batches of 200", st.Batches, n/200)
	}
	if st.Duplicates != 0 || st.Reconnects != 0 {
		t.Errorf("stats %+v: no duplicates or reconnects expected on a healthy connection", st)
	}
	assertScores(ctx, t, client, want)

	if err := w.Add(ctx, response(products[0], 9)); err != nil && err != nps.ErrClosed {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	} else if err == nil {
		t.Error("Add after Close succeeded, want ErrClosed")
	}

	// Close must leave no goroutine behind: once the connection is closed too, the count comes back.
	_ = conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > goroutinesBefore {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", g, goroutinesBefore, buf[:runtime.Stack(buf, true)])
	}
}

func TestWriterSurfacesRejections(t *testing.T) {
	ctx := testContext(t)
	conn := dial(t, serverAddress(t))
	client := npsv1.NewNpsServiceClient(conn)

	var mu sync.Mutex
	var rejections []nps.Rejection
	w, err := nps.NewWriter(conn, nps.WriterOptions{
		OnRejection: func(r nps.Rejection) {
			mu.Lock()
			defer mu.Unlock()
			rejections = append(rejections, r)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	product := uniqueID("rejections")
	batch := []*npsv1.SurveyResponse{
		response(product, 10), response(product, 9), response(product, 11), response(product, 0),
		response(product, 7), {ProductId: product}, response(product, 8), response("bad id!", 9),
		response(product, 3), response(product, 10),
	}
	for _, r := range batch {
		if err := w.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}

	mu.Lock()
	got := append([]nps.Rejection(nil), rejections...)
	mu.Unlock()
	type want struct {
		index  int
		field  string
		reason npsv1.RejectionReason
	}
	wants := []want{
		{2, "responses[2].score", npsv1.RejectionReason_REJECTION_REASON_SCORE_OUT_OF_RANGE},
		{5, "responses[5].score", npsv1.RejectionReason_REJECTION_REASON_MISSING_SCORE},
		{7, "responses[7].product_id", npsv1.RejectionReason_REJECTION_REASON_INVALID_PRODUCT_ID},
	}
	if len(got) != len(wants) {
		t.Fatalf("%d rejections surfaced after Flush, want %d: %+v", len(got), len(wants), got)
	}
	for i, wnt := range wants {
		r := got[i]
		if r.Index != wnt.index || r.Field != wnt.field || r.Reason != wnt.reason {
			t.Errorf("rejection %d: index %d field %q reason %v, want %d %q %v",
				i, r.Index, r.Field, r.Reason, wnt.index, wnt.field, wnt.reason)
		}
		if r.Response != batch[wnt.index] {
			t.Errorf("rejection %d does not carry the response that was added at index %d", i, wnt.index)
		}
		if r.Description == "" {
			t.Errorf("rejection %d has no description", i)
		}
	}
	st := w.Stats()
	if st.Accepted != 7 || st.Rejected != 3 || st.Batches != 1 {
		t.Errorf("stats %+v, want 7 accepted and 3 rejected in 1 batch", st)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// The batch's valid responses counted although others were rejected.
	assertScores(ctx, t, client, map[string]*tally{product: {0: 1, 3: 1, 7: 1, 8: 1, 9: 1, 10: 2}})
}

func TestWriterDefaults(t *testing.T) {
	ctx := testContext(t)
	conn := dial(t, serverAddress(t))

	var mu sync.Mutex
	var seqs []int64
	before := time.Now().UnixMicro()
	w, err := nps.NewWriter(conn, nps.WriterOptions{OnRejection: func(r nps.Rejection) {
		mu.Lock()
		defer mu.Unlock()
		seqs = append(seqs, r.Sequence)
	}})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().UnixMicro()
	if !regexp.MustCompile(`^go-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(w.WriterID()) {
		t.Errorf("generated writer id %q is not go-<uuid v4>", w.WriterID())
	}
	product := uniqueID("defaults")
	// Two flushed batches, each with one rejected response, reveal the sequences the writer used.
	for i := 0; i < 2; i++ {
		if err := w.Add(ctx, response(product, 11)); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if len(seqs) != 2 {
		t.Fatalf("%d rejections, want 2", len(seqs))
	}
	if seqs[0] < before || seqs[0] > after {
		t.Errorf("first sequence %d is not the Unix time in microseconds at creation (%d..%d)", seqs[0], before, after)
	}
	if seqs[1] <= seqs[0] {
		t.Errorf("second sequence %d does not increase from %d", seqs[1], seqs[0])
	}
}

func TestWriterBatchesByTime(t *testing.T) {
	ctx := testContext(t)
	conn := dial(t, serverAddress(t))
	w, err := nps.NewWriter(conn, nps.WriterOptions{MaxBatchDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	product := uniqueID("by-time")
	for _, s := range []int32{9, 8, 2} {
		if err := w.Add(ctx, response(product, s)); err != nil {
			t.Fatal(err)
		}
	}
	// No Flush: the partial batch must go out on its own once its delay is over.
	deadline := time.Now().Add(10 * time.Second)
	for w.Stats().Acked < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := w.Stats(); st.Acked != 3 || st.Batches != 1 || st.Accepted != 3 {
		t.Fatalf("stats %+v: want the 3 responses sent and acknowledged as one batch without a Flush", st)
	}
	assertScores(ctx, t, npsv1.NewNpsServiceClient(conn), map[string]*tally{product: {2: 1, 8: 1, 9: 1}})
}

func TestWriterSurfacesNonRetriableErrors(t *testing.T) {
	ctx := testContext(t)
	conn := dial(t, serverAddress(t))
	// The server ends the stream with INVALID_ARGUMENT for a malformed writer id: retrying cannot help.
	w, err := nps.NewWriter(conn, nps.WriterOptions{WriterID: "not a valid writer id!"})
	if err != nil {
		t.Fatal(err)
	}
	product := uniqueID("invalid-writer")
	if err := w.Add(ctx, response(product, 9)); err != nil {
		t.Fatal(err)
	}
	err = w.Flush(ctx)
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Flush: %v, want an INVALID_ARGUMENT status", err)
	}
	if st := w.Stats(); st.Reconnects != 0 || st.Acked != 0 || st.Pending != 1 {
		t.Errorf("stats %+v: want no reconnect and the response left unacknowledged", st)
	}
	if err := w.Add(ctx, response(product, 9)); status.Code(err) != codes.InvalidArgument {
		t.Errorf("Add after the failure: %v, want the same INVALID_ARGUMENT", err)
	}
	if err := w.Close(ctx); status.Code(err) != codes.InvalidArgument {
		t.Errorf("Close: %v, want the same INVALID_ARGUMENT", err)
	}
	_, err = npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: product})
	if status.Code(err) != codes.NotFound {
		t.Errorf("GetScore of the product of the refused batch: %v, want NOT_FOUND (nothing counted)", err)
	}
}

func TestWriterValidatesOptions(t *testing.T) {
	conn := dial(t, serverAddress(t))
	for _, opts := range []nps.WriterOptions{{MaxBatchSize: 1001}, {MaxBatchSize: -1}, {FirstSequence: -5}} {
		if w, err := nps.NewWriter(conn, opts); err == nil {
			_ = w.Close(context.Background())
			t.Errorf("NewWriter(%+v) succeeded, want an error", opts)
		}
	}
}

// TestWriterDroppedConnection cuts every connection between the writer and the server twice while batches
// are in flight, then checks from the server that every response counted exactly once.
func TestWriterDroppedConnection(t *testing.T) {
	addr := serverAddress(t)
	ctx := testContext(t)
	proxy := tcpproxy.Start(t, addr)
	proxyConn := dial(t, proxy.Addr())
	direct := npsv1.NewNpsServiceClient(dial(t, addr))

	w, err := nps.NewWriter(proxyConn, nps.WriterOptions{
		MaxBatchSize: 50,
		MaxInFlight:  8,
		MinBackoff:   20 * time.Millisecond,
		MaxBackoff:   500 * time.Millisecond,
		OnRetry: func(err error, delay time.Duration) {
			t.Logf("retrying in %v after: %v", delay.Round(time.Millisecond), err)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	products := []string{uniqueID("drop-a"), uniqueID("drop-b"), uniqueID("drop-c")}
	want := map[string]*tally{}
	for _, p := range products {
		want[p] = &tally{}
	}
	const n = 6000
	cutAt := map[int]bool{1500: true, 3000: true, 4500: true}
	cuts := 0
	for i := 0; i < n; i++ {
		if cutAt[i] {
			// Add blocks while 8 batches are unacknowledged, so batches are on the wire right now.
			pending := w.Stats().Pending
			cut := proxy.CutAll()
			t.Logf("cut %d connection(s) after %d responses, %d responses unacknowledged", cut, i, pending)
			if cut == 0 || pending == 0 {
				t.Fatalf("cut at %d: %d connections cut, %d responses unacknowledged; want both > 0", i, cut, pending)
			}
			cuts++
		}
		p := products[i%len(products)]
		score := int32((i*5 + i/3) % 11)
		want[p][score]++
		if err := w.Add(ctx, response(p, score)); err != nil {
			t.Fatalf("Add %d: %v", i, err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st := w.Stats()
	t.Logf("writer stats %+v, proxy accepted %d connections", st, proxy.Accepted())
	if cuts < 2 {
		t.Fatalf("only %d cuts", cuts)
	}
	if st.Reconnects < 2 || proxy.Accepted() < 3 {
		t.Errorf("%d reconnects and %d proxied connections: the writer did not really reconnect after each cut",
			st.Reconnects, proxy.Accepted())
	}
	if st.Added != n || st.Acked != n || st.Accepted != n || st.Rejected != 0 || st.Pending != 0 {
		t.Errorf("stats %+v, want all %d responses acknowledged and accepted", st, n)
	}
	assertScores(ctx, t, direct, want)
}
