package io.npsgrpc.example;

import com.google.protobuf.Timestamp;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.npsgrpc.client.ApiKeyCredentials;
import io.npsgrpc.client.NpsChannels;
import io.npsgrpc.client.NpsWriter;
import io.npsgrpc.nps.v1.AcknowledgeFollowUpsRequest;
import io.npsgrpc.nps.v1.AcknowledgeFollowUpsResponse;
import io.npsgrpc.nps.v1.FollowUpAcknowledgement;
import io.npsgrpc.nps.v1.FollowUpDelivery;
import io.npsgrpc.nps.v1.FollowUpOutcome;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.ResponseRecord;
import io.npsgrpc.nps.v1.ScoreCategory;
import io.npsgrpc.nps.v1.StreamFollowUpsRequest;
import io.npsgrpc.nps.v1.StreamFollowUpsResponse;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker of a follow-up team: watches the group's queue (StreamFollowUps), handles each delivered record (here:
 * prints it), acknowledges it as contacted (AcknowledgeFollowUps), and resumes after a dropped connection.
 *
 * <p>Usage: {@code FollowUpWorker [--address host:port|https://host:port] [--ca-file ca.pem] [--group name]
 * [--consumer name] --product id... [--max-records n] [--max-outstanding n] [--start-time 2026-12-01T00:00:00Z]};
 * the options default to $NPS_SERVER_ADDRESS (else 127.0.0.1:5000, plaintext HTTP/2), $NPS_SERVER_CA (else the
 * JDK's CAs), $NPS_FOLLOW_UP_GROUP (else callback-team), $NPS_FOLLOW_UP_CONSUMER (else the host name) and
 * $NPS_FOLLOW_UP_PRODUCTS (comma-separated). The API key is $NPS_API_KEY, from the environment only (on a command
 * line every user of the machine could read it), and only over TLS. --max-records 0, the default, runs for ever.
 */
public final class FollowUpWorker {
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5000;

  private final NpsServiceGrpc.NpsServiceBlockingStub nps;
  private final StreamFollowUpsRequest request;
  private final int maxRecords;
  // Records acknowledged by this run: one delivered again after a reconnect is handled again, counted once.
  private final Set<String> handled = new HashSet<>();

  private FollowUpWorker(NpsServiceGrpc.NpsServiceBlockingStub nps, StreamFollowUpsRequest request, int maxRecords) {
    this.nps = nps;
    this.request = request;
    this.maxRecords = maxRecords;
  }

  public static void main(String[] args) throws Exception {
    String address = env("NPS_SERVER_ADDRESS", "127.0.0.1:5000");
    String caFile = env("NPS_SERVER_CA", null);
    StreamFollowUpsRequest.Builder request = StreamFollowUpsRequest.newBuilder()
        .setGroup(env("NPS_FOLLOW_UP_GROUP", "callback-team"))
        // Keep it stable: a reconnecting consumer gets its own unacknowledged deliveries back.
        .setConsumer(env("NPS_FOLLOW_UP_CONSUMER", InetAddress.getLocalHost().getHostName()))
        .addCategories(ScoreCategory.SCORE_CATEGORY_DETRACTOR)
        .setMaxOutstanding(10);
    List<String> products = new ArrayList<>();
    int maxRecords = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--address": address = value; break;
        case "--ca-file": caFile = value; break;
        case "--group": request.setGroup(value); break;
        case "--consumer": request.setConsumer(value); break;
        case "--product": products.add(value); break;
        case "--max-records": maxRecords = Integer.parseInt(value); break;
        case "--max-outstanding": request.setMaxOutstanding(Integer.parseInt(value)); break;
        case "--start-time": // only read when the group is created
          Instant start = Instant.parse(value);
          request.setStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()).setNanos(start.getNano()));
          break;
        default: usage("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) usage("expected --name value pairs");
    if (products.isEmpty()) {
      for (String p : env("NPS_FOLLOW_UP_PRODUCTS", "").split(",")) if (!p.trim().isEmpty()) products.add(p.trim());
    }
    if (products.isEmpty()) usage("name at least one --product (or set NPS_FOLLOW_UP_PRODUCTS)");
    request.addAllProductIds(products);

    ManagedChannel channel = channel(address, caFile, env("NPS_API_KEY", null));
    try {
      int done = new FollowUpWorker(NpsServiceGrpc.newBlockingStub(channel), request.build(), maxRecords).run();
      System.out.println("handled " + done + " records");
    } catch (StatusRuntimeException e) {
      if (NpsWriter.isCertificateFailure(e.getStatus())) {
        // The TLS handshake failed on the server's certificate (gRPC says UNAVAILABLE): the CA file did not sign it, or
        // it is expired or for another host. A wrong CA never heals by retrying.
        System.err.println("the server's certificate was not verified against "
            + (caFile != null ? "the CA file given (--ca-file " + caFile + ")" : "the JDK's CAs (no --ca-file given)")
            + ": " + innermostMessage(e.getStatus().getCause()));
        System.exit(1);
      }
      // The server's answer, not a lost connection: a bad name, a group created with another filter, a missing or
      // wrong API key (UNAUTHENTICATED), a key without the follow_up scope (PERMISSION_DENIED). Retrying would not help.
      System.err.println("follow-up stream refused: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      System.exit(1);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The README's production channel for an https:// address: TLS trusting the CA file (else the JDK's CAs) and the
   * API key as call credentials; plaintext HTTP/2 otherwise. A key or a CA file for a plaintext address is refused:
   * a key sent in plaintext is a key given away.
   */
  private static ManagedChannel channel(String address, String caFile, String apiKey) {
    ChannelCredentials credentials = InsecureChannelCredentials.create();
    String target = address.replaceFirst("^http://", "");
    if (address.startsWith("https://")) {
      target = address.substring("https://".length());
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      try {
        if (caFile != null) tls.trustManager(new File(caFile)); // a private CA's certificate (PEM)
      } catch (IOException | IllegalArgumentException e) {
        usage("--ca-file " + caFile + ": " + e.getMessage());
      }
      credentials = apiKey == null ? tls.build()
          : CompositeChannelCredentials.create(tls.build(), new ApiKeyCredentials(apiKey)); // "authorization: Bearer <key>"
    } else if (apiKey != null) {
      usage("NPS_API_KEY is only sent over TLS: give an https:// address, not " + address);
    } else if (caFile != null) {
      usage("--ca-file (or NPS_SERVER_CA) is for TLS: give an https:// address, not " + address);
    }
    return NpsChannels.forAddresses(List.of(target), credentials).build();
  }

  /**
   * Keeps a StreamFollowUps call open for the group and consumer. A dropped connection, UNAVAILABLE or a stream the
   * server ended is not an error: it reconnects with backoff under the same consumer name, and the server first
   * hands back the deliveries this consumer held without acknowledging them.
   */
  private int run() throws InterruptedException {
    long backoff = MIN_BACKOFF_MS;
    while (!done()) {
      String lost = "the server ended the stream";
      // A stream left open when done ends with the channel's shutdownNow (main), which cancels it on the server.
      try {
        System.out.println("watching " + String.join(",", request.getProductIdsList()) + " as "
            + request.getGroup() + "/" + request.getConsumer());
        Iterator<StreamFollowUpsResponse> responses = nps.streamFollowUps(request);
        while (responses.hasNext()) {
          backoff = MIN_BACKOFF_MS; // the server answers again: start the backoff over
          for (FollowUpDelivery delivery : responses.next().getDeliveriesList()) {
            handle(delivery);
            if (done()) return handled.size();
          }
        }
      } catch (StatusRuntimeException e) {
        if (!NpsWriter.isRetriable(e.getStatus())) throw e;
        lost = e.getStatus().getCode().toString();
      }
      long delay = jittered(backoff);
      System.out.println("stream lost (" + lost + "): reconnecting in " + delay + " ms");
      Thread.sleep(delay);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    return handled.size();
  }

  private void handle(FollowUpDelivery delivery) throws InterruptedException {
    ResponseRecord record = delivery.getRecord();
    String name = record.getProductId() + "/" + record.getRecordId();
    // The follow-up itself would go here (open a ticket, call the customer); this worker only shows the record.
    System.out.println("record " + name + " score " + record.getScore() + " attempt " + delivery.getAttempt() + ": "
        + record.getComment().replaceAll("\\R", " "));
    AcknowledgeFollowUpsRequest ack = AcknowledgeFollowUpsRequest.newBuilder()
        .addAcknowledgements(FollowUpAcknowledgement.newBuilder().setAckId(delivery.getAckId())
            .setOutcome(FollowUpOutcome.FOLLOW_UP_OUTCOME_CONTACTED).setNote("called back by " + request.getConsumer()))
        .build();
    // Acknowledging is idempotent: retry the same ack id until the server answers, so an acknowledgement that was
    // taken but whose answer was lost with the connection is not mistaken for one that was not.
    for (long backoff = MIN_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      AcknowledgeFollowUpsResponse answer;
      try {
        answer = nps.withDeadlineAfter(10, TimeUnit.SECONDS).acknowledgeFollowUps(ack);
      } catch (StatusRuntimeException e) {
        if (!NpsWriter.isRetriable(e.getStatus())) throw e;
        System.out.println("acknowledging " + name + " failed (" + e.getStatus().getCode() + "): retrying");
        Thread.sleep(jittered(backoff));
        continue;
      }
      if (answer.getExceptionsCount() > 0) {
        // STALE_LEASE: the lease expired and another worker has the record; UNKNOWN: it was erased or trimmed.
        System.out.println("not acknowledged " + name + ": " + answer.getExceptions(0).getProblem());
      } else {
        handled.add(name);
        System.out.println("acknowledged " + name + " as CONTACTED");
      }
      return;
    }
  }

  /** The innermost message of a cause chain: for a certificate failure, why it was not verified. */
  private static String innermostMessage(Throwable error) {
    String message = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isEmpty()) message = t.getMessage();
    }
    return message;
  }

  private boolean done() {
    return maxRecords > 0 && handled.size() >= maxRecords;
  }

  private static long jittered(long backoff) {
    return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static void usage(String problem) {
    System.err.println(problem + "\nusage: FollowUpWorker [--address host:port|https://host:port] [--ca-file ca.pem]"
        + " [--group name] [--consumer name] --product id [--product id...] [--max-records n] [--max-outstanding n]"
        + " [--start-time instant]; the API key is $NPS_API_KEY (https:// only)");
    System.exit(2);
  }
}
