package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// config is what the worker watches.
type config struct {
	addr, group, consumer string
	products              []string
	maxRecords            int
	maxOutstanding        int
	startTime             *time.Time
}

// worker keeps a StreamFollowUps call open for its group and consumer. A dropped connection, UNAVAILABLE or a
// stream the server ended is not an error: it reconnects with backoff under the same consumer name, and the
// server first hands back the deliveries this consumer held without acknowledging them. A server certificate
// that could not be verified (nps.CertificateNotVerified, also UNAVAILABLE in grpc-go) is an error: it is final.
type worker struct {
	client npsv1.NpsServiceClient
	cfg    config
	// Records acknowledged by this run: one delivered again after a reconnect is handled again, counted once.
	handled map[string]bool
}

func (w *worker) done() bool { return w.cfg.maxRecords > 0 && len(w.handled) >= w.cfg.maxRecords }

// run works until maxRecords records are acknowledged (for ever when it is 0), ctx ends, or the server refuses.
func (w *worker) run(ctx context.Context) (int, error) {
	delay := minBackoff
	for !w.done() {
		lost, err := w.watch(ctx, &delay)
		if err != nil {
			return len(w.handled), err
		}
		if w.done() {
			break
		}
		wait := jittered(delay)
		fmt.Printf("stream lost (%s): reconnecting in %d ms\n", lost, wait.Milliseconds())
		select {
		case <-ctx.Done():
			return len(w.handled), ctx.Err()
		case <-time.After(wait):
		}
		delay = next(delay)
	}
	return len(w.handled), nil
}

// watch runs one stream; it returns why the stream was lost when that is worth a reconnect, else the error.
func (w *worker) watch(ctx context.Context, delay *time.Duration) (lost string, err error) {
	// Cancelling the call when done (or failed) ends the stream on the server.
	streamCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := w.client.StreamFollowUps(streamCtx, w.request())
	if err != nil {
		return retry(err)
	}
	fmt.Printf("watching %s as %s/%s\n", strings.Join(w.cfg.products, ","), w.cfg.group, w.cfg.consumer)
	for {
		response, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return "the server ended the stream", nil
		}
		if err != nil {
			return retry(err)
		}
		*delay = minBackoff // the server answers again: start the backoff over
		for _, d := range response.GetDeliveries() {
			if err := w.handle(ctx, d); err != nil {
				return "", err
			}
			if w.done() {
				return "", nil
			}
		}
	}
}

func (w *worker) request() *npsv1.StreamFollowUpsRequest {
	r := &npsv1.StreamFollowUpsRequest{
		Group:          w.cfg.group,
		Consumer:       w.cfg.consumer,
		ProductIds:     w.cfg.products,
		Categories:     []npsv1.ScoreCategory{npsv1.ScoreCategory_SCORE_CATEGORY_DETRACTOR},
		MaxOutstanding: int32(w.cfg.maxOutstanding),
	}
	if w.cfg.startTime != nil {
		r.StartTime = timestamppb.New(*w.cfg.startTime) // only read when the group is created
	}
	return r
}

func (w *worker) handle(ctx context.Context, d *npsv1.FollowUpDelivery) error {
	r := d.GetRecord()
	name := r.GetProductId() + "/" + r.GetRecordId()
	// The follow-up itself would go here (open a ticket, call the customer); this worker only shows the record.
	comment := strings.Join(strings.Fields(strings.ReplaceAll(r.GetComment(), "\n", " ")), " ")
	fmt.Printf("record %s score %d attempt %d: %s\n", name, r.GetScore(), d.GetAttempt(), comment)
	request := &npsv1.AcknowledgeFollowUpsRequest{Acknowledgements: []*npsv1.FollowUpAcknowledgement{{
		AckId:   d.GetAckId(),
		Outcome: npsv1.FollowUpOutcome_FOLLOW_UP_OUTCOME_CONTACTED,
		Note:    "called back by " + w.cfg.consumer,
	}}}
	// Acknowledging is idempotent: retry the same ack id until the server answers, so an acknowledgement that
	// was taken but whose answer was lost with the connection is not mistaken for one that was not.
	for delay := minBackoff; ; delay = next(delay) {
		callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		answer, err := w.client.AcknowledgeFollowUps(callCtx, request)
		cancel()
		if err == nil {
			if exceptions := answer.GetExceptions(); len(exceptions) > 0 {
				// STALE_LEASE: the lease expired and another worker has the record; UNKNOWN: it was erased or trimmed.
				fmt.Printf("not acknowledged %s: %v\n", name, exceptions[0].GetProblem())
			} else {
				w.handled[name] = true
				fmt.Printf("acknowledged %s as CONTACTED\n", name)
			}
			return nil
		}
		if ctx.Err() != nil || !(nps.Retriable(err) || status.Code(err) == codes.DeadlineExceeded) {
			return err
		}
		fmt.Printf("acknowledging %s failed (%v): retrying\n", name, status.Code(err))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(jittered(delay)):
		}
	}
}

// retry says why a failed stream is worth a reconnect (nps.Retriable), or returns the error when it is not.
func retry(err error) (string, error) {
	if nps.Retriable(err) {
		return status.Code(err).String(), nil
	}
	return "", err
}

func next(d time.Duration) time.Duration {
	if d *= 2; d > maxBackoff {
		return maxBackoff
	}
	return d
}

// jittered is a random delay in [d/2, d], so workers cut off together do not reconnect together.
func jittered(d time.Duration) time.Duration {
	return d/2 + time.Duration(mathrand.Int63n(int64(d/2)+1))
}
