package io.npsgrpc.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.Score;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** NpsChannels and ApiKeyCredentials against the live server's TLS + API key twin (.ci/live-server.sh). */
public class NpsChannelsTest {
  /** The README's channel to one or several instances with TLS and an API key. */
  static ManagedChannel productionChannel(List<String> addresses, String caFile, String apiKey) throws IOException {
    // README: production
    ChannelCredentials credentials = CompositeChannelCredentials.create(
        // A private CA's certificate (PEM); TlsChannelCredentials.create() trusts the JDK's CAs.
        TlsChannelCredentials.newBuilder().trustManager(new File(caFile)).build(),
        new ApiKeyCredentials(apiKey)); // sent as "authorization: Bearer <key>" on every call
    ManagedChannel channel = NpsChannels.forAddresses(addresses, credentials) // "host:port": one, or several instances
        .build();
    // README: end
    return channel;
  }

  private static Score score(ManagedChannel channel, String productId) {
    return NpsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getScore(GetScoreRequest.newBuilder().setProductId(productId).build()).getScore();
  }

  private static Status.Code codeOfGetScore(ManagedChannel channel) {
    try {
      score(channel, Live.uniqueId("status"));
      fail("expected GetScore to fail");
      return null;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test(timeout = 60_000)
  public void aWriterWhoseCaFileDidNotSignTheServersCertificateStopsInsteadOfRetrying() throws Exception {
    ManagedChannel channel = productionChannel(List.of(Live.secureAddress()), Live.unrelatedCaFile(), Live.secureApiKey());
    try {
      NpsWriter writer = NpsWriter.newBuilder(channel).linger(Duration.ZERO).build();
      writer.add(Live.uniqueId("wrong-ca"), 9);
      // Without the fix flush would retry for ever: the bound only keeps a regression from hanging the suite.
      NpsWriterException e = assertThrows(NpsWriterException.class, () -> writer.flush(Duration.ofSeconds(20)));
      assertEquals(Status.Code.UNAVAILABLE, e.status().getCode());
      assertTrue(e.getMessage(), e.getMessage().contains("the server's certificate could not be verified"));
      assertEquals(1, e.unacknowledgedResponses());
      assertEquals(0, writer.stats().reconnects());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test(timeout = 60_000)
  public void theProductionChannelSubmitsAndReadsOverTlsWithAnApiKey() throws Exception {
    ManagedChannel channel = productionChannel(List.of(Live.secureAddress()), Live.secureCertificateFile(), Live.secureApiKey());
    try {
      String product = Live.uniqueId("tls");
      NpsWriter writer = NpsWriter.newBuilder(channel).build();
      try (writer) {
        for (int score : new int[] {10, 9, 3}) writer.add(product, score);
      }
      Score score = score(channel, product);
      assertEquals(List.of(3L, 3L, 2L, 1L),
          List.of(writer.stats().accepted(), score.getTotal(), score.getPromoters(), score.getDetractors()));
    } finally {
      Live.shutdown(channel);
    }
  }

  @Test(timeout = 60_000)
  public void withoutTheApiKeyTheServerAnswersUnauthenticatedAndTheWriterDoesNotRetry() throws Exception {
    ChannelCredentials tlsOnly = TlsChannelCredentials.newBuilder().trustManager(new File(Live.secureCertificateFile())).build();
    ManagedChannel channel = NpsChannels.forAddresses(List.of(Live.secureAddress()), tlsOnly).build();
    try {
      assertEquals(Status.Code.UNAUTHENTICATED, codeOfGetScore(channel));
      NpsWriter writer = NpsWriter.newBuilder(channel).build();
      writer.add(Live.uniqueId("nokey"), 9);
      NpsWriterException flush = assertThrows(NpsWriterException.class, writer::flush);
      assertEquals(Status.Code.UNAUTHENTICATED, flush.status().getCode());
      assertEquals(0, writer.stats().reconnects());
      assertThrows(NpsWriterException.class, writer::close);
    } finally {
      Live.shutdown(channel);
    }
  }

  @Test(timeout = 60_000)
  public void anApiKeyIsNeverSentInPlaintext() throws Exception {
    ChannelCredentials plaintextWithKey = CompositeChannelCredentials.create(InsecureChannelCredentials.create(), new ApiKeyCredentials("secret"));
    ManagedChannel channel = NpsChannels.forAddresses(List.of(Live.address()), plaintextWithKey).build();
    try {
      // The plaintext server needs no key and would answer NOT_FOUND: UNAUTHENTICATED is the credentials refusing.
      assertEquals(Status.Code.UNAUTHENTICATED, codeOfGetScore(channel));
    } finally {
      Live.shutdown(channel);
    }
  }

  @Test
  public void forAddressesNeedsAtLeastOneAddressAndHostPortPairs() {
    assertThrows(IllegalArgumentException.class, () -> NpsChannels.forAddresses(List.of(), InsecureChannelCredentials.create()));
    assertThrows(IllegalArgumentException.class,
        () -> NpsChannels.forAddresses(List.of("127.0.0.1:1", "no-port"), InsecureChannelCredentials.create()));
  }

  /**
   * Two TCP proxies in front of the TLS twin stand for two instances. While batches are in flight, the one that
   * carries the writer's stream (the one that forwarded more: nothing else is sending) is killed: it stops
   * listening and resets its connections. The writer must go on through the other, counting everything once.
   */
  @Test(timeout = 120_000)
  public void theProductionChannelFailsOverWhenTheInstanceCarryingTheWriterDies() throws Exception {
    try (TcpProxy first = new TcpProxy(Live.secureAddress()); TcpProxy second = new TcpProxy(Live.secureAddress())) {
      ManagedChannel channel = productionChannel(List.of(first.address(), second.address()),
          Live.secureCertificateFile(), Live.secureApiKey());
      try {
        String[] products = {Live.uniqueId("failover-a"), Live.uniqueId("failover-b")};
        long[][] expected = new long[2][11];
        NpsWriter writer = NpsWriter.newBuilder(channel).maxBatchSize(50).build();
        TcpProxy survivor = second;
        long survivorBytesAtKill = 0;
        for (int i = 0; i < 4000; i++) {
          if (i == 1500) {
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writer.stats().unacknowledgedBatches() == 0 && System.nanoTime() < waitUntil) Thread.sleep(1);
            TcpProxy killed = first.forwardedClientBytes() >= second.forwardedClientBytes() ? first : second;
            survivor = killed == first ? second : first;
            killed.close();
            survivorBytesAtKill = survivor.forwardedClientBytes();
          }
          int score = i * 3 % 11;
          writer.add(products[i % 2], score);
          expected[i % 2][score]++;
        }
        writer.close();
        NpsWriter.Stats stats = writer.stats();
        System.out.println("failover test: " + stats);
        assertTrue("the writer reconnected", stats.reconnects() >= 1);
        assertTrue("the survivor carried the rest", survivor.forwardedClientBytes() - survivorBytesAtKill > 10_000);
        assertEquals(4000, stats.accepted());
        for (int p = 0; p < 2; p++) {
          Score score = score(channel, products[p]); // through the survivor, the only instance left
          for (int s = 0; s <= 10; s++) assertEquals(products[p] + " score " + s, expected[p][s], score.getDistribution(s));
        }
      } finally {
        Live.shutdown(channel);
      }
    }
  }
}
