// Command followup-worker is a worker of a follow-up team: it watches the group's queue (StreamFollowUps),
// handles each delivered record (here: prints it), acknowledges it as contacted (AcknowledgeFollowUps), and
// resumes after a dropped connection.
//
//	go run ./cmd/followup-worker -product my-app
//	NPS_API_KEY=... go run ./cmd/followup-worker -addr https://host:port -ca-file ca.pem -product my-app
//
// Flags default to the environment: -addr to $NPS_SERVER_ADDRESS (else 127.0.0.1:5000, plaintext HTTP/2;
// https://host:port for TLS), -ca-file to $NPS_SERVER_CA (else the system's CAs), -group to $NPS_FOLLOW_UP_GROUP
// (else callback-team), -consumer to $NPS_FOLLOW_UP_CONSUMER (else the host name), -product to
// $NPS_FOLLOW_UP_PRODUCTS (comma-separated). The API key is $NPS_API_KEY, from the environment only (on a command
// line every user of the machine could read it), and only over TLS. -max-records N stops after N records are
// acknowledged (0, the default: until Ctrl+C).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// products is a repeatable -product flag.
type products []string

func (p *products) String() string     { return strings.Join(*p, ",") }
func (p *products) Set(v string) error { *p = append(*p, v); return nil }

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	host, _ := os.Hostname()
	var cfg config
	flag.StringVar(&cfg.addr, "addr", env("NPS_SERVER_ADDRESS", "127.0.0.1:5000"),
		"server address: host:port (plaintext HTTP/2) or https://host:port (TLS)")
	caFile := flag.String("ca-file", os.Getenv("NPS_SERVER_CA"),
		"a PEM certificate to trust as the root of the server's chain, https:// only (default $NPS_SERVER_CA, else the system's CAs)")
	flag.StringVar(&cfg.group, "group", env("NPS_FOLLOW_UP_GROUP", "callback-team"), "the follow-up team")
	flag.StringVar(&cfg.consumer, "consumer", env("NPS_FOLLOW_UP_CONSUMER", host),
		"this worker; keep it stable: a reconnecting consumer gets its own unacknowledged deliveries back")
	flag.Var((*products)(&cfg.products), "product", "a product to watch (repeat for several; default $NPS_FOLLOW_UP_PRODUCTS)")
	flag.IntVar(&cfg.maxRecords, "max-records", 0, "stop after this many records are acknowledged (0: never)")
	flag.IntVar(&cfg.maxOutstanding, "max-outstanding", 10, "deliveries held unacknowledged at a time")
	start := flag.String("start-time", "", "where a new group starts, e.g. 2026-12-01T00:00:00Z (default: now)")
	flag.Parse()
	if len(cfg.products) == 0 {
		for _, p := range strings.Split(os.Getenv("NPS_FOLLOW_UP_PRODUCTS"), ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.products = append(cfg.products, p)
			}
		}
	}
	if len(cfg.products) == 0 {
		fmt.Fprintln(os.Stderr, "name at least one -product (or set NPS_FOLLOW_UP_PRODUCTS)")
		os.Exit(2)
	}
	if *start != "" {
		t, err := time.Parse(time.RFC3339Nano, *start)
		if err != nil {
			fmt.Fprintf(os.Stderr, "-start-time: %v\n", err)
			os.Exit(2)
		}
		cfg.startTime = &t
	}

	// Ctrl+C stops it: deliveries not acknowledged go back to the group when their lease ends.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	options, err := dialOptions(cfg.addr, *caFile, os.Getenv("NPS_API_KEY"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	target := strings.TrimPrefix(strings.TrimPrefix(cfg.addr, "https://"), "http://")
	conn, err := nps.Dial([]string{target}, options...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "dial %s: %v\n", cfg.addr, err)
		os.Exit(1)
	}
	defer conn.Close()

	w := &worker{client: npsv1.NewNpsServiceClient(conn), cfg: cfg, handled: map[string]bool{}}
	handled, err := w.run(ctx)
	if err != nil && ctx.Err() == nil && nps.CertificateNotVerified(err) {
		// Not the server's answer but no lost connection either: a wrong CA never heals by retrying.
		fmt.Fprintln(os.Stderr, certificateNotVerified(*caFile, err))
		conn.Close()
		os.Exit(1)
	}
	if err != nil && ctx.Err() == nil {
		// The server's answer, not a lost connection: a bad name, a group created with another filter, a missing or
		// wrong API key (UNAUTHENTICATED), a key without the follow_up scope (PERMISSION_DENIED). Retrying would not help.
		s := status.Convert(err)
		fmt.Fprintf(os.Stderr, "follow-up stream refused: %s: %s\n", statusName(s.Code()), s.Message())
		conn.Close()
		os.Exit(1)
	}
	fmt.Printf("handled %d records\n", handled)
}

// dialOptions connects as the README's production connection does for an https:// address: TLS credentials
// trusting caFile (else the system's CAs) and nps.APIKey when a key is given; plaintext HTTP/2 otherwise. A key or a
// CA file for a plaintext address is refused: a key sent in plaintext is a key given away.
func dialOptions(address, caFile, apiKey string) ([]grpc.DialOption, error) {
	if !strings.HasPrefix(address, "https://") {
		if apiKey != "" {
			return nil, fmt.Errorf("NPS_API_KEY is only sent over TLS: give an https:// address, not %s", address)
		}
		if caFile != "" {
			return nil, fmt.Errorf("-ca-file (or NPS_SERVER_CA) is for TLS: give an https:// address, not %s", address)
		}
		return []grpc.DialOption{grpc.WithInsecure()}, nil
	}
	creds := credentials.NewClientTLSFromCert(nil, "")
	if caFile != "" {
		var err error
		if creds, err = credentials.NewClientTLSFromFile(caFile, ""); err != nil {
			return nil, fmt.Errorf("-ca-file %s: %v", caFile, err)
		}
	}
	options := []grpc.DialOption{grpc.WithTransportCredentials(creds)}
	if apiKey != "" {
		options = append(options, grpc.WithPerRPCCredentials(nps.APIKey(apiKey))) // "authorization: Bearer <key>"
	}
	return options, nil
}

// certificateNotVerified says that the server's certificate could not be verified, against what, the option to
// check, and why (crypto/x509's words, taken out of grpc-go's "connection error: desc = ..." wrapping).
func certificateNotVerified(caFile string, err error) string {
	reason := status.Convert(err).Message()
	if i := strings.Index(reason, `desc = "`); i >= 0 {
		if unquoted, uerr := strconv.Unquote(reason[i+len("desc = "):]); uerr == nil {
			reason = unquoted
		}
	}
	if i := strings.Index(reason, "handshake failed: "); i >= 0 {
		reason = reason[i+len("handshake failed: "):]
	}
	if caFile == "" {
		return "the server's certificate was not verified against the system's CAs (give the CA that signed it " +
			"with -ca-file or NPS_SERVER_CA): " + reason
	}
	return fmt.Sprintf("the server's certificate was not verified against the CA file given (-ca-file %s): %s", caFile, reason)
}

// statusName is the status as gRPC names it in every language (PERMISSION_DENIED), not as Go's codes do
// (PermissionDenied).
func statusName(code codes.Code) string {
	var name strings.Builder
	lower := false
	for _, r := range code.String() {
		if lower && unicode.IsUpper(r) {
			name.WriteByte('_')
		}
		lower = unicode.IsLower(r)
		name.WriteRune(unicode.ToUpper(r))
	}
	return name.String()
}
