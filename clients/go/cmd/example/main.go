// Command example submits a few survey responses through the nps helper and prints the product's score.
//
//	go run ./cmd/example -addr 127.0.0.1:5000
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/npsgrpc/npsgrpc/clients/go/nps"
	"github.com/npsgrpc/npsgrpc/clients/go/npsv1"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "server address, host:port (plaintext HTTP/2)")
	product := flag.String("product", "", "product id to submit for (default: example-go-<random>)")
	flag.Parse()
	if *product == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		*product = "example-go-" + hex.EncodeToString(b[:]) // a product of its own, new on every run
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := grpc.Dial(*addr, grpc.WithInsecure())
	if err != nil {
		log.Fatalf("dial %s: %v", *addr, err)
	}
	defer conn.Close()

	w, err := nps.NewWriter(conn, nps.WriterOptions{
		OnRejection: func(r nps.Rejection) {
			fmt.Printf("rejected: %s: %s (%v)\n", r.Field, r.Description, r.Reason)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Five promoters, three passives, two detractors (NPS 30), and one invalid score that is rejected.
	for _, s := range []int32{10, 9, 9, 10, 9, 8, 7, 7, 3, 6, 11} {
		r := &npsv1.SurveyResponse{
			ProductId: *product,
			Score:     proto.Int32(s),
			Segments:  map[string]string{"region": "eu"},
		}
		if err := w.Add(ctx, r); err != nil {
			log.Fatalf("add: %v", err)
		}
	}
	if err := w.Close(ctx); err != nil {
		log.Fatalf("close: %v", err)
	}
	fmt.Printf("writer %s: %v\n", w.WriterID(), w.Stats())

	res, err := npsv1.NewNpsServiceClient(conn).GetScore(ctx, &npsv1.GetScoreRequest{ProductId: *product})
	if err != nil {
		log.Fatalf("get score: %v", err)
	}
	s := res.GetScore()
	fmt.Printf("%s: NPS %.1f from %d responses (%d promoters, %d passives, %d detractors), 95%% CI %.1f … %.1f\n",
		*product, s.GetNps(), s.GetTotal(), s.GetPromoters(), s.GetPassives(), s.GetDetractors(),
		s.GetConfidenceInterval().GetLower(), s.GetConfidenceInterval().GetUpper())
}
