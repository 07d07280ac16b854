package nps_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

// commentAndListDetractors is the README's example: a response with a comment, then this month's detractors.
func commentAndListDetractors(ctx context.Context, conn *grpc.ClientConn, product string) ([]*npsv1.ResponseRecord, error) {
	// README: comments
	w, err := nps.NewWriter(conn, nps.WriterOptions{})
	if err != nil {
		return nil, err
	}
	if err := w.Add(ctx, &npsv1.SurveyResponse{ProductId: product, Score: proto.Int32(3),
		Segments: map[string]string{"region": "eu"}, RespondentId: "customer-42",
		Comment: "Checkout is slow", LanguageCode: "en"}); err != nil {
		return nil, err
	}
	if err := w.Close(ctx); err != nil { // every response acknowledged: counted, and recorded with its comment
		return nil, err
	}

	client := npsv1.NewNpsServiceClient(conn)
	now := time.Now().UTC()
	request := &npsv1.ListResponsesRequest{ProductId: product,
		StartTime:  timestamppb.New(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)),
		Categories: []npsv1.ScoreCategory{npsv1.ScoreCategory_SCORE_CATEGORY_DETRACTOR}}
	var detractors []*npsv1.ResponseRecord
	for { // newest first, page by page
		page, err := client.ListResponses(ctx, request)
		if err != nil {
			return nil, err
		}
		detractors = append(detractors, page.Records...)
		if page.NextPageToken == "" {
			break
		}
		request.PageToken = page.NextPageToken
	}
	// README: end
	return detractors, nil
}

func TestTheReadmeCommentExampleListsThisMonthsDetractorWithWhatTheyWrote(t *testing.T) {
	ctx := testContext(t)
	conn := dial(t, serverAddress(t))
	product := uniqueID("comments")
	detractors, err := commentAndListDetractors(ctx, conn, product)
	if err != nil {
		t.Fatal(err)
	}
	if len(detractors) != 1 {
		t.Fatalf("want 1 detractor record, got %d: %v", len(detractors), detractors)
	}
	r := detractors[0]
	if r.RespondentId != "customer-42" || r.Score != 3 || r.Comment != "Checkout is slow" || r.LanguageCode != "en" ||
		r.Segments["region"] != "eu" || r.Category != npsv1.ScoreCategory_SCORE_CATEGORY_DETRACTOR ||
		r.State != npsv1.RecordState_RECORD_STATE_COUNTED {
		t.Fatalf("record does not say what was sent: %v", r)
	}
}
