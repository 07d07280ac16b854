package io.npsgrpc.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.ListResponsesRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.RejectionReason;
import io.npsgrpc.nps.v1.ResponseRecord;
import io.npsgrpc.nps.v1.Score;
import io.npsgrpc.nps.v1.SurveyResponse;
import java.net.ConnectException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** NpsWriter against the live server, directly and through a proxy that drops connections. */
public class NpsWriterTest {
  private ManagedChannel direct;

  @Before
  public void connect() {
    direct = Live.channel(Live.address());
  }

  @After
  public void disconnect() throws InterruptedException {
    Live.shutdown(direct);
  }

  /** What was submitted per product: the count of each score 0 to 10. */
  private static final class Expected {
    final Map<String, long[]> distributions = new LinkedHashMap<>();

    void add(String productId, int score) {
      distributions.computeIfAbsent(productId, k -> new long[11])[score]++;
    }

    long total() {
      long total = 0;
      for (long[] d : distributions.values()) for (long n : d) total += n;
      return total;
    }
  }

  private void assertScoresExactly(Expected expected) {
    for (Map.Entry<String, long[]> entry : expected.distributions.entrySet()) {
      Score score = Live.score(direct, entry.getKey());
      long[] want = entry.getValue();
      long total = 0;
      for (long n : want) total += n;
      assertEquals("total of " + entry.getKey(), total, score.getTotal());
      long[] got = new long[11];
      for (int i = 0; i < 11; i++) got[i] = score.getDistribution(i);
      assertArrayEquals("distribution of " + entry.getKey(), want, got);
    }
  }

  private static List<String> products(String prefix, int count) {
    String base = Live.uniqueId(prefix);
    List<String> products = new ArrayList<>();
    for (int i = 0; i < count; i++) products.add(base + "-p" + i);
    return products;
  }

  @Test(timeout = 60_000)
  public void happyPathCountsEveryResponseOnce() {
    List<String> products = products("happy", 3);
    Expected expected = new Expected();
    NpsWriter writer = NpsWriter.newBuilder(direct).maxBatchSize(200).build();
    assertTrue(writer.writerId().startsWith("java-"));
    for (int i = 0; i < 2500; i++) {
      String product = products.get(i % 3);
      int score = (i * 7) % 11;
      if (i % 2 == 0) {
        writer.add(product, score, Collections.singletonMap("region", "eu"));
      } else {
        writer.add(product, score);
      }
      expected.add(product, score);
    }
    writer.close();

    NpsWriter.Stats stats = writer.stats();
    assertEquals(2500, stats.accepted());
    assertEquals(0, stats.rejected());
    assertEquals(0, stats.duplicates());
    assertEquals(0, stats.unacknowledgedResponses());
    assertScoresExactly(expected);
    Score eu = NpsServiceGrpc.newBlockingStub(direct).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getScore(GetScoreRequest.newBuilder().setProductId(products.get(0)).setSegment("region=eu").build())
        .getScore();
    long euCount = 0;
    for (int i = 0; i < 2500; i += 2) if (i % 3 == 0) euCount++;
    assertEquals(euCount, eu.getTotal());
  }

  @Test(timeout = 60_000)
  public void rejectionsAreSurfacedAndTheRestCounts() {
    String product = Live.uniqueId("rejections");
    List<Rejection> rejections = new CopyOnWriteArrayList<>();
    SurveyResponse outOfRange = SurveyResponse.newBuilder().setProductId(product).setScore(11).build();
    SurveyResponse noScore = SurveyResponse.newBuilder().setProductId(product).build();
    SurveyResponse badProduct = SurveyResponse.newBuilder().setProductId("not a valid id!").setScore(5).build();
    try (NpsWriter writer = NpsWriter.newBuilder(direct).onRejection(rejections::add).build()) {
      writer.add(product, 10);
      writer.add(outOfRange);
      writer.add(product, 8);
      writer.add(noScore);
      writer.add(badProduct);
      writer.add(product, 2);
      assertTrue(writer.flush(Duration.ofSeconds(30)));

      NpsWriter.Stats stats = writer.stats();
      assertEquals(3, stats.accepted());
      assertEquals(3, stats.rejected());
    }
    assertEquals(3, rejections.size());
    Rejection first = rejections.get(0);
    assertEquals(1, first.index());
    assertEquals("responses[1].score", first.field());
    assertEquals(RejectionReason.REJECTION_REASON_SCORE_OUT_OF_RANGE, first.reason());
    assertSame(outOfRange, first.response());
    assertTrue(first.sequence() > 0);
    assertEquals(3, rejections.get(1).index());
    assertEquals(RejectionReason.REJECTION_REASON_MISSING_SCORE, rejections.get(1).reason());
    assertSame(noScore, rejections.get(1).response());
    assertEquals(4, rejections.get(2).index());
    assertEquals(RejectionReason.REJECTION_REASON_INVALID_PRODUCT_ID, rejections.get(2).reason());

    Score score = Live.score(direct, product);
    assertEquals(3, score.getTotal());
    assertEquals(1, score.getPromoters());
    assertEquals(1, score.getPassives());
    assertEquals(1, score.getDetractors());
  }

  @Test(timeout = 60_000)
  public void aCommentAndItsLanguageAreKeptInTheRecordOfTheResponse() {
    String product = Live.uniqueId("comment");
    try (NpsWriter writer = NpsWriter.newBuilder(direct).build()) {
      writer.add(product, 2, Map.of("region", "eu"), "Support never called back", null);
      writer.add(product, 10, Map.of(), "Livraison rapide, merci", "fr");
      writer.add(product, 8); // a passive without a comment: counted, not recorded
    }

    assertEquals(3, Live.score(direct, product).getTotal());
    List<String> records = new ArrayList<>();
    for (ResponseRecord r : NpsServiceGrpc.newBlockingStub(direct).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listResponses(ListResponsesRequest.newBuilder().setProductId(product).build()).getRecordsList()) {
      records.add(r.getScore() + " " + r.getComment() + " " + r.getLanguageCode() + " " + r.getSegmentsMap());
    }
    Collections.sort(records);
    assertEquals(List.of("10 Livraison rapide, merci fr {}", "2 Support never called back en {region=eu}"), records);
  }

  @Test(timeout = 60_000)
  public void nonRetriableStatusIsSurfacedNotRetried() {
    String product = Live.uniqueId("invalid-writer");
    NpsWriter writer = NpsWriter.newBuilder(direct).writerId("spaces are not allowed").build();
    writer.add(product, 9);
    try {
      writer.flush();
      fail("expected the writer to stop with INVALID_ARGUMENT");
    } catch (NpsWriterException e) {
      assertEquals(Status.Code.INVALID_ARGUMENT, e.status().getCode());
      assertEquals(1, e.unacknowledgedResponses());
    }
    try {
      writer.close();
      fail("close should report the failure too");
    } catch (NpsWriterException e) {
      assertEquals(Status.Code.INVALID_ARGUMENT, e.status().getCode());
    }
    assertEquals(0, writer.stats().reconnects());
  }

  @Test(timeout = 60_000)
  public void unreachableServerIsRetriedNotSurfaced() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // nothing listens there once closed: connections are refused
    }
    ManagedChannel nowhere = Live.channel("127.0.0.1:" + closedPort);
    try {
      NpsWriter writer = NpsWriter.newBuilder(nowhere).linger(Duration.ZERO)
          .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
      writer.add(Live.uniqueId("nowhere"), 9);
      assertEquals(false, writer.flush(Duration.ofSeconds(2))); // UNAVAILABLE is retried, never thrown
      assertTrue(writer.stats().reconnects() >= 1);
      assertEquals(false, writer.close(Duration.ofMillis(100)));
      assertEquals(1, writer.stats().unacknowledgedResponses());
    } finally {
      Live.shutdown(nowhere);
    }
  }

  @Test
  public void aServerCertificateThatCannotBeVerifiedIsFinalWhileALostConnectionIsRetried() {
    // The cause chains gRPC reports as UNAVAILABLE: a handshake that failed on the certificate (the wrong CA file,
    // an expired certificate, another host's) and connections that were refused, reset or closed mid-handshake.
    Throwable wrongCa = new SSLHandshakeException("General OpenSslEngine problem");
    wrongCa.initCause(new CertificateException("PKIX path building failed",
        new CertPathBuilderException("unable to find valid certification path to requested target")));
    Throwable expired = new SSLHandshakeException("General OpenSslEngine problem");
    expired.initCause(new CertPathValidatorException("validity check failed"));
    Throwable otherHost = new SSLPeerUnverifiedException("hostname does not match the certificate");
    for (Throwable cause : List.of(wrongCa, expired, otherHost)) {
      Status status = Status.UNAVAILABLE.withDescription("io exception").withCause(cause);
      assertTrue(cause.toString(), NpsWriter.isCertificateFailure(status));
      assertEquals(cause.toString(), false, NpsWriter.isRetriable(status));
    }
    Throwable closedMidHandshake = new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress");
    for (Throwable cause : List.of(new ConnectException("Connection refused"), new SocketException("Connection reset"),
        closedMidHandshake)) {
      Status status = Status.UNAVAILABLE.withDescription("io exception").withCause(cause);
      assertEquals(cause.toString(), false, NpsWriter.isCertificateFailure(status));
      assertTrue(cause.toString(), NpsWriter.isRetriable(status));
    }
    assertTrue(NpsWriter.isRetriable(Status.UNAVAILABLE));
    assertEquals(false, NpsWriter.isRetriable(Status.UNAUTHENTICATED));
  }

  @Test(timeout = 60_000)
  public void restartedWriterWithTheSameIdKeepsCounting() {
    // A restarted producer reuses its persisted writer id; the default first sequence (Unix microseconds)
    // is above everything the previous run sent, so nothing is mistaken for a duplicate.
    String writerId = Live.uniqueId("restart");
    String product = Live.uniqueId("restart-product");
    Expected expected = new Expected();
    for (int run = 0; run < 2; run++) {
      try (NpsWriter writer = NpsWriter.newBuilder(direct).writerId(writerId).maxBatchSize(10).build()) {
        for (int i = 0; i < 35; i++) {
          writer.add(product, (i + run) % 11);
          expected.add(product, (i + run) % 11);
        }
        writer.flush();
        assertEquals(0, writer.stats().duplicates());
        assertEquals(35, writer.stats().accepted());
      }
    }
    assertScoresExactly(expected);
  }

  @Test(timeout = 120_000)
  public void droppedConnectionsLoseNothingAndCountNothingTwice() throws Exception {
    List<String> products = products("dropped", 6);
    Expected expected = new Expected();
    int total = 6000;
    int[] cutAt = {1500, 3000, 4500};
    int cuts = 0;
    try (TcpProxy proxy = new TcpProxy(Live.address())) {
      ManagedChannel viaProxy = Live.channel(proxy.address());
      try {
        NpsWriter writer = NpsWriter.newBuilder(viaProxy)
            .maxBatchSize(50)
            .maxInFlightBatches(8)
            .linger(Duration.ofMillis(20))
            .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
            .build();
        for (int i = 0; i < total; i++) {
          String product = products.get(i % products.size());
          int score = (i * 13 + i / 7) % 11;
          writer.add(product, score);
          expected.add(product, score);
          // Cut only while batches are on the wire, so some acknowledgements are surely lost.
          if (cuts < cutAt.length && i >= cutAt[cuts] && writer.stats().unacknowledgedBatches() > 0) {
            int cutConnections = proxy.cutAll();
            System.out.println("dropped-connection test: cut " + cutConnections + " sockets after " + (i + 1)
                + " responses, " + writer.stats());
            if (cutConnections > 0) cuts++;
          }
        }
        writer.close();

        NpsWriter.Stats stats = writer.stats();
        System.out.println("dropped-connection test: closed, " + stats + ", proxy accepted "
            + proxy.acceptedConnections() + " connections");
        assertEquals(cutAt.length, cuts);
        assertTrue("the writer should have reconnected", stats.reconnects() >= 2);
        assertTrue(proxy.acceptedConnections() >= 3);
        assertEquals(total, stats.accepted());
        assertEquals(0, stats.rejected());
        assertEquals(0, stats.unacknowledgedResponses());
      } finally {
        Live.shutdown(viaProxy);
      }
    }
    assertEquals(total, expected.total());
    assertScoresExactly(expected);
  }
}
