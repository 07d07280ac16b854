package io.npsgrpc.client;

import static org.junit.Assert.assertEquals;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.npsgrpc.nps.v1.ListResponsesRequest;
import io.npsgrpc.nps.v1.ListResponsesResponse;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.RecordState;
import io.npsgrpc.nps.v1.ResponseRecord;
import io.npsgrpc.nps.v1.ScoreCategory;
import io.npsgrpc.nps.v1.SurveyResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** The README's comment example: a response with a comment, then this month's detractors through ListResponses. */
public class RecordsTest {
  @Test(timeout = 60_000)
  public void theReadmeCommentExampleListsThisMonthsDetractorWithWhatTheyWrote() throws InterruptedException {
    ManagedChannel channel = Live.channel(Live.address());
    String productId = Live.uniqueId("comments");
    List<ResponseRecord> detractors = new ArrayList<>();
    try {
      // README: comments
      try (NpsWriter writer = NpsWriter.newBuilder(channel).build()) {
        writer.add(SurveyResponse.newBuilder().setProductId(productId).setScore(3).putSegments("region", "eu")
            .setRespondentId("customer-42").setComment("Checkout is slow").setLanguageCode("en").build());
      } // closing flushes: the response is counted, and recorded with its comment

      long firstOfMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      ListResponsesRequest.Builder request = ListResponsesRequest.newBuilder().setProductId(productId)
          .setStartTime(Timestamp.newBuilder().setSeconds(firstOfMonth))
          .addCategories(ScoreCategory.SCORE_CATEGORY_DETRACTOR);
      NpsServiceGrpc.NpsServiceBlockingStub nps = NpsServiceGrpc.newBlockingStub(channel);
      do { // newest first, page by page
        ListResponsesResponse page = nps.listResponses(request.build());
        detractors.addAll(page.getRecordsList());
        request.setPageToken(page.getNextPageToken());
      } while (!request.getPageToken().isEmpty());
      // README: end
    } finally {
      Live.shutdown(channel);
    }

    assertEquals(1, detractors.size());
    ResponseRecord record = detractors.get(0);
    assertEquals("customer-42", record.getRespondentId());
    assertEquals(3, record.getScore());
    assertEquals("Checkout is slow", record.getComment());
    assertEquals("en", record.getLanguageCode());
    assertEquals("eu", record.getSegmentsOrThrow("region"));
    assertEquals(RecordState.RECORD_STATE_COUNTED, record.getState());
  }
}
