package io.npsgrpc.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.Score;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The live server the tests run against (NPS_SERVER_ADDRESS), and ids unique to this run. */
final class Live {
  private Live() {}

  static String address() {
    String address = System.getenv("NPS_SERVER_ADDRESS");
    if (address == null || address.isEmpty()) {
      throw new IllegalStateException("set NPS_SERVER_ADDRESS=host:port of a running NpsGrpc server");
    }
    return address;
  }

  static ManagedChannel channel(String address) {
    return ManagedChannelBuilder.forTarget(address).usePlaintext().build();
  }

  static String uniqueId(String prefix) {
    return "java-test-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  static Score score(ManagedChannel channel, String productId) {
    return NpsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getScore(GetScoreRequest.newBuilder().setProductId(productId).build()).getScore();
  }

  static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
