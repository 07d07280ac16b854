package nps_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/npsgrpc/npsgrpc/clients/go/internal/testca"
	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// How failures are classified: a lost connection is worth a new call (nps.Retriable); a server certificate that
// could not be verified is not (nps.CertificateNotVerified), although grpc-go reports both as UNAVAILABLE.

func TestACertificateThatCannotBeVerifiedIsFinalAndALostConnectionIsTransient(t *testing.T) {
	unavailable := func(desc string) error {
		return status.Error(codes.Unavailable, fmt.Sprintf("connection error: desc = %q", desc))
	}
	for _, c := range []struct {
		name        string
		err         error
		certificate bool
	}{
		{"an unknown authority (grpc-go's text)", unavailable(`transport: authentication handshake failed: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "not-the-server-ca")`), true},
		{"an unknown authority (Go 1.20's text)", unavailable("transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"), true},
		{"an expired certificate", unavailable("transport: authentication handshake failed: x509: certificate has expired or is not yet valid: current time 2030-01-01T00:00:00Z is after 2027-01-01T00:00:00Z"), true},
		{"another host's certificate", unavailable("transport: authentication handshake failed: x509: certificate is valid for nps.internal, not 127.0.0.1"), true},
		{"x509.UnknownAuthorityError in the chain", fmt.Errorf("handshake: %w", x509.UnknownAuthorityError{}), true},
		{"x509.CertificateInvalidError in the chain", fmt.Errorf("handshake: %w", x509.CertificateInvalidError{Reason: x509.Expired}), true},
		{"x509.HostnameError in the chain", fmt.Errorf("handshake: %w", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "nps.internal"}), true},
		{"a refused connection", unavailable("transport: Error while dialing dial tcp 127.0.0.1:1: connect: connection refused"), false},
		{"a connection reset during the handshake", unavailable("transport: authentication handshake failed: read tcp 127.0.0.1:40000->127.0.0.1:5001: read: connection reset by peer"), false},
		{"a connection closed during the handshake", unavailable("transport: authentication handshake failed: EOF"), false},
		{"a stream reset", status.Error(codes.Unavailable, "transport is closing"), false},
		{"a server shutting down", status.Error(codes.Unavailable, "the store is unreachable"), false},
		{"an aborted call", status.Error(codes.Aborted, "try again"), false},
	} {
		if got := nps.CertificateNotVerified(c.err); got != c.certificate {
			t.Errorf("%s: CertificateNotVerified = %v, want %v (%v)", c.name, got, c.certificate, c.err)
		}
		_, isStatus := status.FromError(c.err)
		if got, want := nps.Retriable(c.err), isStatus && !c.certificate; got != want {
			t.Errorf("%s: Retriable = %v, want %v (%v)", c.name, got, want, c.err)
		}
	}
}

// failFastCall is a call on a new connection that fails at once when the connection cannot be made (no
// WaitForReady): the error grpc-go gives for that connection.
func failFastCall(t *testing.T, address string, creds grpc.DialOption) error {
	t.Helper()
	conn, err := nps.Dial([]string{address}, creds)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: uniqueID("classify")})
	return err
}

func TestARefusedConnectionIsTransientAndNotACertificateFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	address := l.Addr().String()
	l.Close() // nothing listens there now: connection refused
	for _, creds := range []grpc.DialOption{grpc.WithInsecure(), grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(nil, ""))} {
		err := failFastCall(t, address, creds)
		if status.Code(err) != codes.Unavailable || !nps.Retriable(err) || nps.CertificateNotVerified(err) {
			t.Errorf("a refused connection: %v; want UNAVAILABLE, retriable, not a certificate failure", err)
		}
	}
}

func TestAConnectionClosedDuringTheTLSHandshakeIsTransientAndNotACertificateFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // a server that goes away mid-handshake: accepts, then closes before answering the client hello
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	creds, err := credentials.NewClientTLSFromFile(testca.NotTheServersCA(t), "")
	if err != nil {
		t.Fatal(err)
	}
	err = failFastCall(t, l.Addr().String(), grpc.WithTransportCredentials(creds))
	if status.Code(err) != codes.Unavailable || !nps.Retriable(err) || nps.CertificateNotVerified(err) {
		t.Errorf("a connection closed during the handshake: %v; want UNAVAILABLE, retriable, not a certificate failure", err)
	}
}

func TestTheSecureServerVerifiedAgainstACAThatDidNotSignItIsACertificateFailureNotRetriable(t *testing.T) {
	address, _, _ := secureServer(t)
	creds, err := credentials.NewClientTLSFromFile(testca.NotTheServersCA(t), "")
	if err != nil {
		t.Fatal(err)
	}
	err = failFastCall(t, address, grpc.WithTransportCredentials(creds))
	if !nps.CertificateNotVerified(err) || nps.Retriable(err) {
		t.Errorf("%v: want a certificate failure, not retriable", err)
	}
	if errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded {
		t.Errorf("the call waited for its deadline: %v", err)
	}
}
