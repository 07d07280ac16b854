package contract_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

func client(t *testing.T) (context.Context, npsv1.NpsServiceClient) {
	t.Helper()
	addr := os.Getenv("NPS_SERVER_ADDRESS")
	if addr == "" {
		t.Fatal("NPS_SERVER_ADDRESS is not set: run the tests through clients/go/test.sh or start a live server")
	}
	conn, err := grpc.Dial(addr, grpc.WithInsecure())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx, npsv1.NewNpsServiceClient(conn)
}

// uniqueID makes ids unique per run: the live Redis is shared with other SDKs' tests.
func uniqueID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("go-contract-%s-%s", prefix, hex.EncodeToString(b[:]))
}

// submit sends the requests on one SubmitResponses stream and returns the acknowledgements.
func submit(ctx context.Context, t *testing.T, c npsv1.NpsServiceClient, reqs ...*npsv1.SubmitResponsesRequest) []*npsv1.SubmitResponsesResponse {
	t.Helper()
	stream, err := c.SubmitResponses(ctx)
	if err != nil {
		t.Fatalf("SubmitResponses: %v", err)
	}
	for _, r := range reqs {
		if err := stream.Send(r); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatalf("CloseSend: %v", err)
	}
	var acks []*npsv1.SubmitResponsesResponse
	for {
		ack, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		acks = append(acks, ack)
	}
	if len(acks) != len(reqs) {
		t.Fatalf("%d acknowledgements for %d requests", len(acks), len(reqs))
	}
	for i, ack := range acks {
		if ack.Sequence != reqs[i].Sequence {
			t.Fatalf("acknowledgement %d echoes sequence %d, want %d", i, ack.Sequence, reqs[i].Sequence)
		}
	}
	return acks
}

func responses(product string, scores ...int32) []*npsv1.SurveyResponse {
	out := make([]*npsv1.SurveyResponse, len(scores))
	for i, s := range scores {
		out[i] = &npsv1.SurveyResponse{ProductId: product, Score: proto.Int32(s)}
	}
	return out
}

func score(ctx context.Context, t *testing.T, c npsv1.NpsServiceClient, product string) *npsv1.Score {
	t.Helper()
	res, err := c.GetScore(ctx, &npsv1.GetScoreRequest{ProductId: product})
	if err != nil {
		t.Fatalf("GetScore %s: %v", product, err)
	}
	return res.GetScore()
}

// The reference example: 450 promoters, 300 passives and 250 detractors score exactly 20.
func TestReferenceExampleScoresTwenty(t *testing.T) {
	ctx, c := client(t)
	product := uniqueID("reference")
	var scores []int32
	for i := 0; i < 450; i++ {
		scores = append(scores, 9+int32(i%2))
	}
	for i := 0; i < 300; i++ {
		scores = append(scores, 7+int32(i%2))
	}
	for i := 0; i < 250; i++ {
		scores = append(scores, int32(i%7))
	}
	acks := submit(ctx, t, c, &npsv1.SubmitResponsesRequest{
		WriterId: uniqueID("writer"), Sequence: 1, Responses: responses(product, scores...),
	})
	if acks[0].AcceptedCount != 1000 || len(acks[0].Rejected) != 0 || acks[0].Duplicate {
		t.Fatalf("ack %+v, want 1000 accepted, none rejected, not a duplicate", acks[0])
	}
	s := score(ctx, t, c, product)
	if s.Nps == nil || *s.Nps != 20 {
		t.Errorf("nps %v, want exactly 20", s.Nps)
	}
	if s.Total != 1000 || s.Promoters != 450 || s.Passives != 300 || s.Detractors != 250 {
		t.Errorf("score %d/%d/%d total %d, want 450/300/250 total 1000", s.Promoters, s.Passives, s.Detractors, s.Total)
	}
	// Adjusted Wald interval of the reference at 95 %: 14.9138 … 24.9665.
	ci := s.GetConfidenceInterval()
	if math.Abs(ci.GetLower()-14.9138) > 0.001 || math.Abs(ci.GetUpper()-24.9665) > 0.001 {
		t.Errorf("confidence interval %v … %v, want 14.9138 … 24.9665", ci.GetLower(), ci.GetUpper())
	}
}

// A batch re-sent with the same writer and sequence is acknowledged as a duplicate and counted once,
// on the same stream and on a new one.
func TestResentBatchIsCountedOnce(t *testing.T) {
	ctx, c := client(t)
	product := uniqueID("duplicate")
	req := &npsv1.SubmitResponsesRequest{
		WriterId: uniqueID("writer"), Sequence: 42, Responses: responses(product, 10, 9, 8, 3),
	}
	acks := submit(ctx, t, c, req, req)
	if acks[0].Duplicate || acks[0].AcceptedCount != 4 {
		t.Errorf("first delivery: %+v, want 4 accepted and not a duplicate", acks[0])
	}
	if !acks[1].Duplicate || acks[1].AcceptedCount != 4 {
		t.Errorf("re-sent on the same stream: %+v, want duplicate=true and accepted_count 4", acks[1])
	}
	again := submit(ctx, t, c, req)
	if !again[0].Duplicate {
		t.Errorf("re-sent on a new stream: %+v, want duplicate=true", again[0])
	}
	s := score(ctx, t, c, product)
	if s.Total != 4 || s.Promoters != 2 || s.Passives != 1 || s.Detractors != 1 {
		t.Errorf("score %d/%d/%d total %d, want 2/1/1 total 4 (counted once)", s.Promoters, s.Passives, s.Detractors, s.Total)
	}
}

// A score of 11 is rejected in the acknowledgement while the other responses of the batch count.
func TestOutOfRangeScoreIsRejected(t *testing.T) {
	ctx, c := client(t)
	product := uniqueID("rejected")
	batch := &npsv1.SubmitResponsesRequest{
		WriterId: uniqueID("writer"), Sequence: 1, Responses: responses(product, 9, 11, 7),
	}
	ack := submit(ctx, t, c, batch)[0]
	again := submit(ctx, t, c, batch)[0]
	if ack.AcceptedCount != 2 || len(ack.Rejected) != 1 {
		t.Fatalf("ack %+v, want 2 accepted and 1 rejected", ack)
	}
	r := ack.Rejected[0]
	if r.Index != 1 || r.Field != "responses[1].score" ||
		r.Reason != npsv1.RejectionReason_REJECTION_REASON_SCORE_OUT_OF_RANGE || r.Description == "" {
		t.Errorf("rejection %+v, want index 1, field responses[1].score, SCORE_OUT_OF_RANGE and a description", r)
	}
	wantOutcomes := []npsv1.ResponseOutcome{
		npsv1.ResponseOutcome_RESPONSE_OUTCOME_COUNTED,
		npsv1.ResponseOutcome_RESPONSE_OUTCOME_REJECTED,
		npsv1.ResponseOutcome_RESPONSE_OUTCOME_COUNTED,
	}
	if got := nps.Outcomes(ack); fmt.Sprint(got) != fmt.Sprint(wantOutcomes) {
		t.Errorf("outcomes %v, want %v", got, wantOutcomes)
	}
	applied := npsv1.ResponseOutcome_RESPONSE_OUTCOME_ALREADY_APPLIED
	wantAgain := []npsv1.ResponseOutcome{applied, npsv1.ResponseOutcome_RESPONSE_OUTCOME_REJECTED, applied}
	if got := nps.Outcomes(again); !again.Duplicate || again.AlreadyAppliedCount != 2 || fmt.Sprint(got) != fmt.Sprint(wantAgain) {
		t.Errorf("re-sent ack %+v with outcomes %v, want a duplicate with 2 already applied and %v", again, got, wantAgain)
	}
	s := score(ctx, t, c, product)
	if s.Total != 2 || s.Promoters != 1 || s.Passives != 1 {
		t.Errorf("score %d/%d/%d total %d, want 1/1/0 total 2", s.Promoters, s.Passives, s.Detractors, s.Total)
	}
}

func TestUnknownProductIsNotFound(t *testing.T) {
	ctx, c := client(t)
	_, err := c.GetScore(ctx, &npsv1.GetScoreRequest{ProductId: uniqueID("never-submitted")})
	if status.Code(err) != codes.NotFound {
		t.Errorf("GetScore of an unknown product: %v, want NOT_FOUND", err)
	}
}
