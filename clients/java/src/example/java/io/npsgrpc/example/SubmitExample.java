package io.npsgrpc.example;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.npsgrpc.client.NpsWriter;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.Score;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Submits a few survey responses through NpsWriter and prints the product's score.
 *
 * <p>Usage: {@code SubmitExample [host:port] [product-id]}; the address defaults to $NPS_SERVER_ADDRESS,
 * then to 127.0.0.1:5000 (what {@code bash .ci/serve} listens on).
 */
public final class SubmitExample {
  public static void main(String[] args) throws Exception {
    String env = System.getenv("NPS_SERVER_ADDRESS");
    String address = args.length > 0 ? args[0] : env != null && !env.isEmpty() ? env : "127.0.0.1:5000";
    // A product of its own, new on every run.
    String productId = args.length > 1 ? args[1] : "example-java-" + System.currentTimeMillis();
    ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    try {
      try (NpsWriter writer = NpsWriter.newBuilder(channel)
          .onRejection(r -> System.out.println("rejected: " + r.field() + " " + r.reason() + ": " + r.description()))
          .build()) {
        int[] scores = {10, 9, 9, 8, 7, 6, 3, 10, 9, 11}; // 11 is out of range: the server rejects it
        for (int score : scores) writer.add(productId, score, Map.of("region", score % 2 == 0 ? "eu" : "us"));
        writer.flush();
        System.out.println("writer " + writer.writerId() + ": " + writer.stats());
      }
      Score score = NpsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getScore(GetScoreRequest.newBuilder().setProductId(productId).build()).getScore();
      System.out.printf("%s: NPS %.1f from %d responses (%d promoters, %d passives, %d detractors), "
              + "95%% interval %.1f to %.1f%s%n",
          productId, score.getNps(), score.getTotal(), score.getPromoters(), score.getPassives(),
          score.getDetractors(), score.getConfidenceInterval().getLower(), score.getConfidenceInterval().getUpper(),
          score.getLowSample() ? " (low sample: under 30 responses)" : "");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
