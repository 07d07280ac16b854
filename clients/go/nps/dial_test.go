package nps_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/npsgrpc/npsgrpc/clients/go/internal/tcpproxy"
	"github.com/npsgrpc/npsgrpc/clients/go/internal/testca"
	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// secureServer is the live server's TLS + API key twin (see .ci/live-server.sh): its address, the file of
// its self-signed certificate and a key with the submit and read scopes.
func secureServer(t *testing.T) (address, caFile, apiKey string) {
	t.Helper()
	address, caFile, apiKey = os.Getenv("NPS_SECURE_SERVER_ADDRESS"), os.Getenv("NPS_SECURE_SERVER_CA"), os.Getenv("NPS_SECURE_SERVER_API_KEY")
	if address == "" || caFile == "" || apiKey == "" {
		t.Fatal("NPS_SECURE_SERVER_ADDRESS, _CA and _API_KEY are not set: run the tests through clients/go/test.sh")
	}
	return address, caFile, apiKey
}

// dialProduction is the README's connection to one or several instances with TLS and an API key.
func dialProduction(addresses []string, caFile, apiKey string) (*grpc.ClientConn, error) {
	// README: production
	// A private CA's certificate (PEM); credentials.NewClientTLSFromCert(nil, "") trusts the system's CAs.
	creds, err := credentials.NewClientTLSFromFile(caFile, "")
	if err != nil {
		return nil, err
	}
	conn, err := nps.Dial(addresses, // "host:port", or several instances to balance and fail over between
		grpc.WithTransportCredentials(creds),
		grpc.WithPerRPCCredentials(nps.APIKey(apiKey))) // sent as "authorization: Bearer <key>"
	// README: end
	return conn, err
}

func TestTheProductionConnectionSubmitsAndReadsWithTLSAndAnAPIKey(t *testing.T) {
	address, caFile, apiKey := secureServer(t)
	ctx := testContext(t)
	conn, err := dialProduction([]string{address}, caFile, apiKey)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	product := uniqueID("tls")
	w, err := nps.NewWriter(conn, nps.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []int32{10, 9, 3} {
		if err := w.Add(ctx, response(product, s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	res, err := npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: product})
	if err != nil {
		t.Fatalf("GetScore: %v", err)
	}
	if got := res.GetScore().GetTotal(); got != 3 {
		t.Errorf("total %d, want 3", got)
	}
}

func TestWithoutTheAPIKeyTheSecureServerAnswersUnauthenticatedAndTheWriterDoesNotRetry(t *testing.T) {
	address, caFile, _ := secureServer(t)
	ctx := testContext(t)
	creds, err := credentials.NewClientTLSFromFile(caFile, "")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := nps.Dial([]string{address}, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: uniqueID("nokey")})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("GetScore without a key: %v, want UNAUTHENTICATED", err)
	}
	w, err := nps.NewWriter(conn, nps.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, response(uniqueID("nokey"), 9)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); status.Code(err) != codes.Unauthenticated {
		t.Errorf("Flush without a key: %v, want UNAUTHENTICATED", err)
	}
	if st := w.Stats(); st.Reconnects != 0 {
		t.Errorf("%d reconnects: UNAUTHENTICATED must not be retried", st.Reconnects)
	}
	_ = w.Close(ctx)
}

func TestAWriterWhoseCAFileDidNotSignTheServersCertificateStopsWithThatErrorInsteadOfReconnecting(t *testing.T) {
	address, _, apiKey := secureServer(t)
	ctx := testContext(t)
	conn, err := dialProduction([]string{address}, testca.NotTheServersCA(t), apiKey)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var retries int32
	w, err := nps.NewWriter(conn, nps.WriterOptions{OnRetry: func(error, time.Duration) { atomic.AddInt32(&retries, 1) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, response(uniqueID("wrong-ca"), 9)); err != nil {
		t.Fatal(err)
	}
	// A wrong CA never heals: Flush returns at once instead of waiting for ctx while the writer retries.
	flushCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = w.Flush(flushCtx)
	if !nps.CertificateNotVerified(err) || status.Code(err) != codes.Unavailable {
		t.Errorf("Flush with the wrong CA: %v, want the UNAVAILABLE of a certificate not verified", err)
	}
	if st, n := w.Stats(), atomic.LoadInt32(&retries); st.Reconnects != 0 || n != 0 || st.Pending != 1 {
		t.Errorf("stats %+v, %d retries: want no reconnect and the response left pending", st, n)
	}
	if err := w.Close(ctx); !nps.CertificateNotVerified(err) {
		t.Errorf("Close: %v, want the same certificate failure", err)
	}
}

func TestAnAPIKeyIsNeverSentInPlaintext(t *testing.T) {
	conn, err := grpc.Dial(serverAddress(t), grpc.WithInsecure(), grpc.WithPerRPCCredentials(nps.APIKey("secret")))
	if err == nil {
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err = npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: uniqueID("plain")})
	}
	if err == nil || status.Code(err) == codes.NotFound {
		t.Fatalf("a call with an API key over plaintext reached the server (%v); gRPC must refuse it", err)
	}
}

func TestDialNeedsAnAddressAndHostPortPairs(t *testing.T) {
	if _, err := nps.Dial(nil, grpc.WithInsecure()); err == nil {
		t.Error("Dial with no address succeeded")
	}
	if _, err := nps.Dial([]string{"127.0.0.1:1", "no-port"}, grpc.WithInsecure()); err == nil {
		t.Error("Dial with an address without a port succeeded")
	}
}

// TestTheProductionConnectionFailsOverWhenTheInstanceCarryingTheWriterDies puts two TCP proxies in front
// of the secure server, as two instances, dials both with the README's connection, and while batches are
// in flight kills the proxy that carries the writer's stream (it stops listening and resets its
// connections). The writer must move to the other one and every response must count exactly once.
func TestTheProductionConnectionFailsOverWhenTheInstanceCarryingTheWriterDies(t *testing.T) {
	address, caFile, apiKey := secureServer(t)
	ctx := testContext(t)
	instances := []*tcpproxy.Proxy{tcpproxy.Start(t, address), tcpproxy.Start(t, address)}
	conn, err := dialProduction([]string{instances[0].Addr(), instances[1].Addr()}, caFile, apiKey)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	w, err := nps.NewWriter(conn, nps.WriterOptions{MaxBatchSize: 50, MinBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	products := []string{uniqueID("failover-a"), uniqueID("failover-b")}
	want := map[string]*tally{products[0]: {}, products[1]: {}}
	const n = 4000
	var killed, survivor *tcpproxy.Proxy
	var survivorSentAtKill int64
	for i := 0; i < n; i++ {
		if i == n/3 {
			// Only the writer's stream is sending now: the proxy that forwarded more carries it.
			killed, survivor = instances[0], instances[1]
			if survivor.Sent() > killed.Sent() {
				killed, survivor = survivor, killed
			}
			pending := w.Stats().Pending
			killed.Close()
			survivorSentAtKill = survivor.Sent()
			t.Logf("killed the instance that forwarded %d bytes, %d responses unacknowledged", killed.Sent(), pending)
		}
		p := products[i%2]
		score := int32((i * 3) % 11)
		want[p][score]++
		if err := w.Add(ctx, response(p, score)); err != nil {
			t.Fatalf("Add %d: %v", i, err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st := w.Stats()
	t.Logf("writer %v", st)
	if st.Reconnects < 1 {
		t.Errorf("the writer never reconnected: its stream was not on the killed instance")
	}
	if survivor.Sent()-survivorSentAtKill < 10000 {
		t.Errorf("the surviving instance forwarded only %d bytes after the kill", survivor.Sent()-survivorSentAtKill)
	}
	if st.Accepted != n || st.Pending != 0 {
		t.Errorf("stats %v, want all %d accepted", st, n)
	}
	// Reads go through the same connection, now to the survivor alone.
	assertScores(ctx, t, npsv1.NewNpsServiceClient(conn), want)
}

func TestStatsPrintWithTheNameOfEachCounter(t *testing.T) {
	st := nps.Stats{Added: 1, Acked: 2, Accepted: 3, Rejected: 4, Batches: 5, Duplicates: 6, Reconnects: 7, Pending: 8}
	want := "added=1 acked=2 accepted=3 rejected=4 batches=5 duplicates=6 reconnects=7 pending=8"
	if got := st.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := fmt.Sprint(st); got != want {
		t.Errorf("fmt.Sprint = %q, want %q", got, want)
	}
}

// closedAddress is a loopback address nothing listens on: an instance that is down.
func closedAddress(t *testing.T) string {
	t.Helper()
	p := tcpproxy.Start(t, serverAddress(t))
	p.Close()
	return p.Addr()
}

func TestPickFirstOverSeveralAddressesSkipsAnInstanceThatIsDown(t *testing.T) {
	conn, err := nps.Dial([]string{closedAddress(t), serverAddress(t)}, grpc.WithInsecure(),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"pick_first":{}}]}`))
	assertReachesTheServer(t, conn, err)
}

func TestADNSTargetWithRoundRobinReachesTheServer(t *testing.T) {
	_, port, _ := net.SplitHostPort(serverAddress(t))
	conn, err := grpc.Dial("dns:///localhost:"+port, grpc.WithInsecure(), grpc.WithDefaultServiceConfig(nps.RoundRobin))
	assertReachesTheServer(t, conn, err)
}

// assertReachesTheServer asks conn for the score of a product nobody submitted for: only the server answers
// NOT_FOUND.
func assertReachesTheServer(t *testing.T, conn *grpc.ClientConn, dialErr error) {
	t.Helper()
	if dialErr != nil {
		t.Fatal(dialErr)
	}
	defer conn.Close()
	_, err := npsv1.NewNpsServiceClient(conn).GetScore(testContext(t), &npsv1.GetScoreRequest{ProductId: uniqueID("reach")},
		grpc.WaitForReady(true))
	if status.Code(err) != codes.NotFound {
		t.Errorf("GetScore: %v, want NOT_FOUND from the server", err)
	}
}
