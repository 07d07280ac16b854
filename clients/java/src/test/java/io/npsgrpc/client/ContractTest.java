package io.npsgrpc.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.RejectedResponse;
import io.npsgrpc.nps.v1.ResponseOutcome;
import io.npsgrpc.nps.v1.RejectionReason;
import io.npsgrpc.nps.v1.Score;
import io.npsgrpc.nps.v1.SubmitResponsesRequest;
import io.npsgrpc.nps.v1.SubmitResponsesResponse;
import io.npsgrpc.nps.v1.SurveyResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The contract, exercised with the raw generated stubs against the live server. */
public class ContractTest {
  private ManagedChannel channel;

  @Before
  public void connect() {
    channel = Live.channel(Live.address());
  }

  @After
  public void disconnect() throws InterruptedException {
    Live.shutdown(channel);
  }

  /** One SubmitResponses stream: send a batch, wait for its acknowledgement. */
  private final class Stream implements AutoCloseable {
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final StreamObserver<SubmitResponsesRequest> requests;

    Stream() {
      requests = NpsServiceGrpc.newStub(channel).submitResponses(new StreamObserver<SubmitResponsesResponse>() {
        @Override public void onNext(SubmitResponsesResponse ack) { events.add(ack); }
        @Override public void onError(Throwable t) { events.add(t); }
        @Override public void onCompleted() { events.add("completed"); }
      });
    }

    SubmitResponsesResponse send(SubmitResponsesRequest request) throws InterruptedException {
      requests.onNext(request);
      Object event = events.poll(10, TimeUnit.SECONDS);
      if (!(event instanceof SubmitResponsesResponse)) fail("expected an acknowledgement, got " + event);
      return (SubmitResponsesResponse) event;
    }

    @Override
    public void close() throws InterruptedException {
      requests.onCompleted();
      assertEquals("completed", events.poll(10, TimeUnit.SECONDS));
    }
  }

  private static SurveyResponse response(String productId, int score) {
    return SurveyResponse.newBuilder().setProductId(productId).setScore(score).build();
  }

  private static SubmitResponsesRequest referenceBatch(String writerId, long sequence, String productId) {
    SubmitResponsesRequest.Builder batch = SubmitResponsesRequest.newBuilder()
        .setWriterId(writerId).setSequence(sequence);
    for (int i = 0; i < 450; i++) batch.addResponses(response(productId, i % 2 == 0 ? 9 : 10));
    for (int i = 0; i < 300; i++) batch.addResponses(response(productId, i % 2 == 0 ? 7 : 8));
    for (int i = 0; i < 250; i++) batch.addResponses(response(productId, i % 7));
    return batch.build();
  }

  @Test
  public void referenceExampleScoresTwenty() throws Exception {
    String product = Live.uniqueId("reference");
    try (Stream stream = new Stream()) {
      SubmitResponsesResponse ack = stream.send(referenceBatch(Live.uniqueId("writer"), 1, product));
      assertEquals(1, ack.getSequence());
      assertEquals(1000, ack.getAcceptedCount());
      assertFalse(ack.getDuplicate());
      assertEquals(0, ack.getRejectedCount());
    }
    Score score = Live.score(channel, product);
    assertEquals(1000, score.getTotal());
    assertEquals(450, score.getPromoters());
    assertEquals(300, score.getPassives());
    assertEquals(250, score.getDetractors());
    assertTrue(score.hasNps());
    assertEquals(20.0, score.getNps(), 1e-9);
    assertEquals(11, score.getDistributionCount());
  }

  @Test
  public void resentBatchIsADuplicateAndCountedOnce() throws Exception {
    String product = Live.uniqueId("dup");
    String writer = Live.uniqueId("writer");
    SubmitResponsesRequest batch = SubmitResponsesRequest.newBuilder().setWriterId(writer).setSequence(42)
        .addResponses(response(product, 10)).addResponses(response(product, 3)).build();
    try (Stream stream = new Stream()) {
      SubmitResponsesResponse first = stream.send(batch);
      assertFalse(first.getDuplicate());
      assertEquals(2, first.getAcceptedCount());
    }
    try (Stream stream = new Stream()) { // a new stream, as after a reconnect
      SubmitResponsesResponse again = stream.send(batch);
      assertEquals(42, again.getSequence());
      assertTrue(again.getDuplicate());
      assertEquals(2, again.getAcceptedCount());
    }
    Score score = Live.score(channel, product);
    assertEquals(2, score.getTotal());
    assertEquals(1, score.getPromoters());
    assertEquals(1, score.getDetractors());
  }

  @Test
  public void outOfRangeScoreIsRejectedWhileTheRestCounts() throws Exception {
    String product = Live.uniqueId("reject");
    SubmitResponsesRequest batch = SubmitResponsesRequest.newBuilder()
        .setWriterId(Live.uniqueId("writer")).setSequence(1)
        .addResponses(response(product, 9)).addResponses(response(product, 11)).addResponses(response(product, 0))
        .build();
    try (Stream stream = new Stream()) {
      SubmitResponsesResponse ack = stream.send(batch);
      assertEquals(2, ack.getAcceptedCount());
      assertEquals(1, ack.getRejectedCount());
      RejectedResponse rejected = ack.getRejected(0);
      assertEquals(1, rejected.getIndex());
      assertEquals("responses[1].score", rejected.getField());
      assertEquals(RejectionReason.REJECTION_REASON_SCORE_OUT_OF_RANGE, rejected.getReason());
      assertFalse(rejected.getDescription().isEmpty());
      assertEquals(
          java.util.List.of(ResponseOutcome.RESPONSE_OUTCOME_COUNTED, ResponseOutcome.RESPONSE_OUTCOME_REJECTED, ResponseOutcome.RESPONSE_OUTCOME_COUNTED),
          Outcomes.of(ack));
      SubmitResponsesResponse again = stream.send(batch);
      assertEquals(3, again.getAcceptedCount() + again.getRejectedCount());
      assertEquals(2, again.getAlreadyAppliedCount());
      assertEquals(
          java.util.List.of(ResponseOutcome.RESPONSE_OUTCOME_ALREADY_APPLIED, ResponseOutcome.RESPONSE_OUTCOME_REJECTED, ResponseOutcome.RESPONSE_OUTCOME_ALREADY_APPLIED),
          Outcomes.of(again));
    }
    Score score = Live.score(channel, product);
    assertEquals(2, score.getTotal());
    assertEquals(1, score.getDistribution(9));
    assertEquals(1, score.getDistribution(0));
    assertEquals(0.0, score.getNps(), 1e-9);
  }

  @Test
  public void unknownProductIsNotFound() {
    try {
      NpsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getScore(GetScoreRequest.newBuilder().setProductId(Live.uniqueId("unknown")).build());
      fail("expected NOT_FOUND");
    } catch (StatusRuntimeException e) {
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
      assertNotNull(e.getStatus().getDescription());
    }
  }
}
