// Package nps is a small helper over the generated npsv1 client that makes exactly-once submission of
// survey responses easy: a Writer batches responses, numbers the batches for its writer id, keeps one
// SubmitResponses stream open, and after a dropped connection re-sends every unacknowledged batch with its
// same sequence, so the server counts each response exactly once.
package nps

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// MaxBatchSize is the most responses the server takes in one request.
const MaxBatchSize = 1000

// ErrClosed is returned by Add and Flush after Close was called.
var ErrClosed = errors.New("nps: writer is closed")

// WriterOptions configures a Writer. The zero value is usable: every field has a default.
type WriterOptions struct {
	// WriterID identifies this producer for exactly-once delivery. Keep it stable across restarts of the
	// process (persist it) and use a different one per concurrent producer. Default: "go-<random uuid>".
	WriterID string

	// FirstSequence is the sequence of the first batch; later batches count up from it. Default: the
	// current Unix time in microseconds, so a restarted process with a persisted WriterID keeps increasing.
	FirstSequence int64

	// MaxBatchSize is how many responses make a full batch: 1 to 1000, default 500.
	MaxBatchSize int

	// MaxBatchDelay is how long a response may wait in a partial batch before it is sent. Default 200 ms.
	MaxBatchDelay time.Duration

	// MaxInFlight bounds the unacknowledged batches (sent, or cut and waiting to be sent). Add blocks
	// while the bound is reached, which bounds memory when the server is slow or unreachable. Default 8.
	MaxInFlight int

	// MinBackoff and MaxBackoff bound the exponential backoff between reconnects. Default 100 ms and 5 s.
	MinBackoff, MaxBackoff time.Duration

	// OnRejection, when set, is called once for each response the server rejected, in order, from the
	// writer's receiving goroutine before the batch counts as acknowledged (so Flush returns only after
	// the callbacks of everything it waited for). It must not block for long, nor call Flush or Close.
	OnRejection func(Rejection)

	// OnRetry, when set, is called from the writer's goroutine with each retriable failure (the stream
	// ended with UNAVAILABLE, the connection dropped, ...) and the delay before the next attempt. For logs.
	OnRetry func(err error, delay time.Duration)

	// CallOptions are passed to every SubmitResponses call (credentials, compression, ...).
	CallOptions []grpc.CallOption
}

// Rejection is one response the server did not count, with the reason it gave.
type Rejection struct {
	// Sequence of the batch the response was sent in, and its zero-based index in that batch.
	Sequence int64
	Index    int
	// Field is the path of the offending field, e.g. "responses[3].score"; Description explains it.
	Field       string
	Description string
	Reason      npsv1.RejectionReason
	// Response is the response as it was passed to Add.
	Response *npsv1.SurveyResponse
}

// Stats are the writer's counters since it was created.
type Stats struct {
	Added      int64 // responses passed to Add
	Acked      int64 // responses whose batch was acknowledged
	Accepted   int64 // acknowledged responses the server found valid (counted now, or by an earlier delivery)
	Rejected   int64 // acknowledged responses the server rejected
	Batches    int64 // batches acknowledged
	Duplicates int64 // batches acknowledged as duplicates: an earlier delivery had already counted them
	Reconnects int64 // streams opened after a failed one
	Pending    int64 // responses added but not yet acknowledged (buffered or in flight)
}

// String names every counter, e.g. "added=4 acked=4 accepted=3 rejected=1 batches=1 duplicates=0
// reconnects=0 pending=0", so that printing Stats says what each number is.
func (s Stats) String() string {
	return fmt.Sprintf("added=%d acked=%d accepted=%d rejected=%d batches=%d duplicates=%d reconnects=%d pending=%d",
		s.Added, s.Acked, s.Accepted, s.Rejected, s.Batches, s.Duplicates, s.Reconnects, s.Pending)
}

type batch struct {
	req       *npsv1.SubmitResponsesRequest
	responses []*npsv1.SurveyResponse
}

// Writer submits survey responses with exactly-once delivery. All its methods are safe for concurrent use.
// Create it with NewWriter and always Close it: Close flushes and stops its goroutines.
type Writer struct {
	client npsv1.NpsServiceClient
	opts   WriterOptions

	ctx    context.Context // cancelled to abort the stream when Close gives up
	cancel context.CancelFunc
	done   chan struct{} // closed when the run goroutine has exited

	mu        sync.Mutex
	buf       []*npsv1.SurveyResponse
	timer     *time.Timer // fires MaxBatchDelay after the first buffered response
	bufGen    int64       // counts cuts, so a timer that fires late cannot hurry the next buffer
	due       bool        // the timer fired: cut the buffer even if it is not full
	flushing  int         // Flush calls waiting: cut partial batches at once
	pending   []*batch    // unacknowledged batches, in sequence order
	nextSeq   int64
	closing   bool
	stopped   bool          // Close has finished: nothing will be acknowledged any more
	err       error         // the non-retriable failure that stopped the writer
	changed   chan struct{} // closed and replaced on every change, to wake waiters that also watch a ctx
	wake      chan struct{} // capacity 1: tells the run goroutine to look at the state again
	stats     Stats
	closeErr  error
	closeOnce sync.Once
}

// NewWriter returns a Writer that submits through conn (typically a *grpc.ClientConn). The stream is
// opened when the first batch is ready.
func NewWriter(conn grpc.ClientConnInterface, opts WriterOptions) (*Writer, error) {
	if opts.WriterID == "" {
		opts.WriterID = "go-" + newUUID()
	}
	if opts.FirstSequence == 0 {
		opts.FirstSequence = time.Now().UnixMicro()
	}
	if opts.FirstSequence < 1 {
		return nil, fmt.Errorf("nps: FirstSequence must be at least 1, got %d", opts.FirstSequence)
	}
	if opts.MaxBatchSize == 0 {
		opts.MaxBatchSize = 500
	}
	if opts.MaxBatchSize < 1 || opts.MaxBatchSize > MaxBatchSize {
		return nil, fmt.Errorf("nps: MaxBatchSize must be 1 to %d, got %d", MaxBatchSize, opts.MaxBatchSize)
	}
	if opts.MaxBatchDelay <= 0 {
		opts.MaxBatchDelay = 200 * time.Millisecond
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 8
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = 5 * time.Second
		if opts.MaxBackoff < opts.MinBackoff {
			opts.MaxBackoff = opts.MinBackoff
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Writer{
		client:  npsv1.NewNpsServiceClient(conn),
		opts:    opts,
		ctx:     ctx,
		cancel:  cancel,
		done:    make(chan struct{}),
		nextSeq: opts.FirstSequence,
		changed: make(chan struct{}),
		wake:    make(chan struct{}, 1),
	}
	go w.run()
	return w, nil
}

// WriterID returns the writer id the batches are sent with.
func (w *Writer) WriterID() string { return w.opts.WriterID }

// Add buffers one response. It blocks only while MaxInFlight batches are unacknowledged and the buffer
// is full, until there is room or ctx is done. The response must not be modified after Add.
func (w *Writer) Add(ctx context.Context, r *npsv1.SurveyResponse) error {
	if r == nil {
		return errors.New("nps: Add of a nil response")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		if w.closing {
			return ErrClosed
		}
		if w.err != nil {
			return w.err
		}
		if len(w.buf) < w.opts.MaxBatchSize {
			break
		}
		// The buffer is full and could not be cut: wait for an acknowledgement to make room.
		if err := w.waitLocked(ctx); err != nil {
			return err
		}
	}
	w.buf = append(w.buf, r)
	w.stats.Added++
	if len(w.buf) == 1 {
		gen := w.bufGen
		w.timer = time.AfterFunc(w.opts.MaxBatchDelay, func() { w.batchDue(gen) })
	}
	w.cutLocked()
	return nil
}

// Flush sends everything added so far and waits until the server acknowledged it all, or ctx is done.
// It returns the writer's failure if a non-retriable error stopped it.
func (w *Writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	target := w.stats.Added
	w.flushing++
	defer func() { w.flushing-- }()
	w.cutLocked()
	for w.stats.Acked < target {
		if w.err != nil {
			return w.err
		}
		if w.stopped {
			return ErrClosed
		}
		if err := w.waitLocked(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes, ends the stream and stops the writer's goroutines. If ctx ends first, the stream is
// aborted and Close returns ctx's error: the responses still unacknowledged (Stats().Pending) may or may
// not have been counted. It returns the writer's failure if a non-retriable error stopped it. Calling
// Close again returns the same result.
func (w *Writer) Close(ctx context.Context) error {
	w.closeOnce.Do(func() {
		err := w.Flush(ctx)
		w.mu.Lock()
		w.closing = true
		w.notifyLocked()
		w.mu.Unlock()
		if err == nil {
			select {
			case <-w.done:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		w.cancel()
		<-w.done
		w.mu.Lock()
		if w.timer != nil {
			w.timer.Stop()
		}
		if err == nil {
			err = w.err
		}
		w.stopped = true
		w.notifyLocked()
		w.mu.Unlock()
		w.closeErr = err
	})
	return w.closeErr
}

// Stats returns a snapshot of the writer's counters.
func (w *Writer) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.stats
	s.Pending = s.Added - s.Acked
	return s
}

func (w *Writer) batchDue(gen int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if gen != w.bufGen {
		return
	}
	w.due = true
	w.cutLocked()
}

// cutLocked turns the buffer into a numbered batch when it is full, overdue or being flushed, and there
// is room in the window.
func (w *Writer) cutLocked() {
	if len(w.buf) == 0 || len(w.pending) >= w.opts.MaxInFlight {
		return
	}
	if len(w.buf) < w.opts.MaxBatchSize && !w.due && w.flushing == 0 && !w.closing {
		return
	}
	b := &batch{
		responses: w.buf,
		req: &npsv1.SubmitResponsesRequest{
			WriterId:  w.opts.WriterID,
			Sequence:  w.nextSeq,
			Responses: w.buf,
		},
	}
	w.nextSeq++
	w.pending = append(w.pending, b)
	w.buf = nil
	w.bufGen++
	w.due = false
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.notifyLocked()
}

// notifyLocked wakes everyone waiting for a change of state.
func (w *Writer) notifyLocked() {
	close(w.changed)
	w.changed = make(chan struct{})
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// waitLocked releases the lock until the state changes or ctx is done.
func (w *Writer) waitLocked(ctx context.Context) error {
	changed := w.changed
	w.mu.Unlock()
	defer w.mu.Lock()
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run owns the stream: it opens it when there is work, and after a retriable failure reopens it with
// backoff and re-sends every unacknowledged batch with its same sequence.
func (w *Writer) run() {
	defer close(w.done)
	failures := 0
	var retryAt time.Time
	for {
		if !w.waitForWork() {
			return
		}
		if !retryAt.IsZero() {
			select {
			case <-time.After(time.Until(retryAt)):
			case <-w.ctx.Done():
				return
			}
			w.mu.Lock()
			w.stats.Reconnects++
			w.mu.Unlock()
		}
		acked := w.Stats().Batches
		err := w.runStream()
		if err == nil {
			return // closed cleanly
		}
		if w.ctx.Err() != nil {
			return // Close gave up; it reports its own error
		}
		if !Retriable(err) {
			w.mu.Lock()
			w.err = err
			w.notifyLocked()
			w.mu.Unlock()
			return
		}
		if w.Stats().Batches > acked {
			failures = 0 // the stream made progress: start the backoff over
		}
		// The delay counts from the failure: time spent idle waiting for work counts toward it.
		delay := backoff(w.opts.MinBackoff, w.opts.MaxBackoff, failures)
		retryAt = time.Now().Add(delay)
		failures++
		if w.opts.OnRetry != nil {
			w.opts.OnRetry(err, delay)
		}
	}
}

// waitForWork blocks until a batch is waiting or the writer is closing; false means stop.
func (w *Writer) waitForWork() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.pending) == 0 {
		if w.closing || w.ctx.Err() != nil {
			return false
		}
		changed := w.changed
		w.mu.Unlock()
		select {
		case <-changed:
		case <-w.ctx.Done():
		}
		w.mu.Lock()
	}
	return true
}

// errStreamEnded stands for a stream the server ended with OK while batches were unacknowledged.
var errStreamEnded = status.Error(codes.Unavailable, "nps: stream ended before every batch was acknowledged")

// runStream sends every unacknowledged batch on a new stream, then the new ones as they are cut, until the
// stream fails (its error) or the writer is closing with nothing left (nil).
func (w *Writer) runStream() (err error) {
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	stream, err := w.client.SubmitResponses(ctx, w.opts.CallOptions...)
	if err != nil {
		return err
	}
	recvErr := make(chan error, 1)
	go func() {
		e := w.receive(stream)
		cancel() // unblocks a Send stuck on flow control when the receiving side gave up
		recvErr <- e
	}()
	received := false
	defer func() {
		if !received {
			cancel()
			<-recvErr // never leave the receiving goroutine behind
		}
	}()
	recvResult := func(e error) error {
		received = true
		if e == io.EOF {
			return errStreamEnded
		}
		return e
	}

	var lastSent int64 // sequences only grow, so "greater than lastSent" is "not yet sent on this stream"
	for {
		w.mu.Lock()
		var toSend []*batch
		for _, b := range w.pending {
			if b.req.Sequence > lastSent {
				toSend = append(toSend, b)
			}
		}
		finished := w.closing && len(w.pending) == 0 && len(w.buf) == 0
		w.mu.Unlock()

		for _, b := range toSend {
			if err := stream.Send(b.req); err != nil {
				// Send only says the stream is gone; the receiving side has the status.
				return recvResult(<-recvErr)
			}
			lastSent = b.req.Sequence
		}
		if finished {
			if err := stream.CloseSend(); err != nil {
				return err
			}
			e := <-recvErr
			received = true
			if e == io.EOF {
				return nil
			}
			return e
		}
		select {
		case <-w.wake:
		case e := <-recvErr:
			return recvResult(e)
		}
	}
}

// receive matches acknowledgements to the unacknowledged batches, in order, until the stream ends.
func (w *Writer) receive(stream npsv1.NpsService_SubmitResponsesClient) error {
	for {
		ack, err := stream.Recv()
		if err != nil {
			return err
		}
		w.mu.Lock()
		if len(w.pending) == 0 || w.pending[0].req.Sequence != ack.Sequence {
			want := int64(0)
			if len(w.pending) > 0 {
				want = w.pending[0].req.Sequence
			}
			w.mu.Unlock()
			// Not retriable: re-sending cannot repair a server that breaks the ordering contract.
			return status.Errorf(codes.Internal, "nps: acknowledgement for sequence %d, expected %d", ack.Sequence, want)
		}
		b := w.pending[0]
		w.mu.Unlock()

		// Callbacks run before the batch counts as acknowledged, so Flush returns after them.
		if cb := w.opts.OnRejection; cb != nil {
			for _, r := range ack.Rejected {
				rej := Rejection{
					Sequence:    ack.Sequence,
					Index:       int(r.Index),
					Field:       r.Field,
					Description: r.Description,
					Reason:      r.Reason,
				}
				if r.Index >= 0 && int(r.Index) < len(b.responses) {
					rej.Response = b.responses[r.Index]
				}
				cb(rej)
			}
		}

		w.mu.Lock()
		w.pending = w.pending[1:]
		w.stats.Batches++
		w.stats.Acked += int64(len(b.responses))
		w.stats.Accepted += int64(ack.AcceptedCount)
		w.stats.Rejected += int64(len(ack.Rejected))
		if ack.Duplicate {
			w.stats.Duplicates++
		}
		w.cutLocked() // the window has room again
		w.notifyLocked()
		w.mu.Unlock()
	}
}

// Retriable tells the failures that a new call can get past: the server or the connection went away
// (UNAVAILABLE: store unreachable, server shutting down, connection refused, dropped or reset; ABORTED).
// Everything else (INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED, ...) would
// fail the same way again: the writer stops and returns it to the caller. So would an UNAVAILABLE that is a
// TLS certificate that could not be verified (CertificateNotVerified).
func Retriable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.Aborted:
		return !CertificateNotVerified(err)
	default:
		return false
	}
}

// CertificateNotVerified tells a failure to verify the server's TLS certificate: signed by a CA that is not
// trusted (the wrong CA file, or none given for a private CA), expired or otherwise invalid, or issued for another
// host name. grpc-go reports it as UNAVAILABLE, like a lost connection, but a wrong CA never heals by retrying:
// it is final, not a reason to reconnect. A plain lost connection (refused, reset, or reset during the
// handshake) is not this.
func CertificateNotVerified(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	if errors.As(err, &unknownAuthority) || errors.As(err, &invalid) || errors.As(err, &hostname) {
		return true
	}
	// grpc-go (1.33) keeps only the text of the handshake error in the status: "connection error: desc =
	// \"transport: authentication handshake failed: x509: certificate signed by unknown authority ...\"". Every
	// error of crypto/x509 starts with "x509: "; Go 1.20 and later put "tls: failed to verify certificate: " first.
	if s, ok := status.FromError(err); ok && s.Code() == codes.Unavailable {
		m := s.Message()
		return strings.Contains(m, "x509: ") || strings.Contains(m, "tls: failed to verify certificate")
	}
	return false
}

// backoff is exponential (min doubling up to max) with jitter: a random delay in [d/2, d], so writers
// cut off together do not reconnect together.
func backoff(min, max time.Duration, failures int) time.Duration {
	d := min
	for i := 0; i < failures && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d/2 + time.Duration(mathrand.Int63n(int64(d/2)+1))
}

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("nps: no randomness for a writer id: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
