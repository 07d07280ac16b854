package io.npsgrpc.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.RejectedResponse;
import io.npsgrpc.nps.v1.SubmitResponsesRequest;
import io.npsgrpc.nps.v1.SubmitResponsesResponse;
import io.npsgrpc.nps.v1.SurveyResponse;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Submits survey responses exactly once over one {@code SubmitResponses} stream.
 *
 * <p>Responses are grouped into batches (by count and by time), numbered with increasing sequences under
 * a stable writer id, and kept until the server acknowledges them. When the stream fails in a way a
 * retry can fix (UNAVAILABLE, a dropped connection, a stream that ends early) the writer reconnects
 * with exponential backoff and re-sends every unacknowledged batch with its same sequence; the server
 * answers the ones it had already applied as duplicates, so nothing is lost or counted twice. Other
 * failures stop the writer: the next {@link #add}, {@link #flush} or {@link #close} throws
 * {@link NpsWriterException}.
 *
 * <p>Thread-safe. {@link #add} blocks while the window of unacknowledged batches is full.
 */
public final class NpsWriter implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(NpsWriter.class.getName());

  private final NpsServiceGrpc.NpsServiceStub stub;
  private final String writerId;
  private final int maxBatchSize;
  private final long lingerNanos;
  private final int maxInFlightBatches;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final Consumer<Rejection> rejectionListener;
  // One thread for timers and for handling acknowledgements: handing gRPC callbacks to it means they
  // never run inside our own lock, even on a channel built with directExecutor().
  private final ScheduledExecutorService executor;

  // All the fields below are guarded by "this".
  private long nextSequence;
  private final List<SurveyResponse> pending = new ArrayList<>();
  private long pendingSinceNanos;
  private final ArrayDeque<Batch> unacked = new ArrayDeque<>();
  private StreamObserver<SubmitResponsesRequest> requests;
  private int streamGeneration;
  private boolean reconnectScheduled;
  private boolean recovering;
  private int backoffAttempt;
  private long added;
  private long acknowledged;
  private long flushTarget;
  private boolean closed;
  private NpsWriterException failure;
  private long accepted;
  private long rejected;
  private long duplicates;
  private long reconnects;

  private NpsWriter(Builder b) {
    this.stub = NpsServiceGrpc.newStub(b.channel);
    this.writerId = b.writerId != null ? b.writerId : "java-" + UUID.randomUUID();
    this.nextSequence = b.firstSequence > 0 ? b.firstSequence : unixMicros();
    this.maxBatchSize = b.maxBatchSize;
    this.lingerNanos = b.linger.toNanos();
    this.maxInFlightBatches = b.maxInFlightBatches;
    this.initialBackoffNanos = b.initialBackoff.toNanos();
    this.maxBackoffNanos = b.maxBackoff.toNanos();
    this.rejectionListener = b.rejectionListener;
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "nps-writer-" + writerId);
      thread.setDaemon(true);
      return thread;
    });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  /** Starts building a writer that submits over {@code channel} (which the caller keeps and shuts down). */
  public static Builder newBuilder(Channel channel) {
    return new Builder(channel);
  }

  /** The writer id every batch carries; persist it to keep exactly-once across restarts. */
  public String writerId() {
    return writerId;
  }

  /** Adds one response of {@code productId} with {@code score}. */
  public void add(String productId, int score) {
    add(SurveyResponse.newBuilder().setProductId(productId).setScore(score).build());
  }

  /** Adds one response with segment labels such as {@code region=eu}. */
  public void add(String productId, int score, Map<String, String> segments) {
    add(productId, score, segments, null, null);
  }

  /**
   * Adds one response with segment labels and the customer's {@code comment} (null or empty: none), written in
   * {@code languageCode}, a BCP 47 tag such as {@code fr} (null or empty: the server's default).
   */
  public void add(String productId, int score, Map<String, String> segments, String comment, String languageCode) {
    add(SurveyResponse.newBuilder().setProductId(productId).setScore(score).putAllSegments(segments)
        .setComment(comment == null ? "" : comment).setLanguageCode(languageCode == null ? "" : languageCode).build());
  }

  /**
   * Adds one response to the current batch. Blocks while the batch is full and the window of
   * unacknowledged batches is too. Invalid responses are not refused here: the server rejects them and
   * the rejection listener hears about it.
   */
  public synchronized void add(SurveyResponse response) {
    Objects.requireNonNull(response, "response");
    throwIfStopped();
    if (closed) throw new IllegalStateException("the writer is closed");
    while (pending.size() >= maxBatchSize) {
      waitFor(Long.MAX_VALUE);
      throwIfStopped();
    }
    if (pending.isEmpty()) {
      pendingSinceNanos = System.nanoTime();
      schedule(this::sealReadyBatches, lingerNanos);
    }
    pending.add(response);
    added++;
    sealReadyBatches();
  }

  /** Waits until every response added so far is acknowledged by the server. */
  public void flush() {
    flush(Duration.ofNanos(Long.MAX_VALUE));
  }

  /**
   * Waits up to {@code timeout} until every response added so far is acknowledged.
   *
   * @return false when the timeout elapsed first (the writer keeps trying)
   */
  public synchronized boolean flush(Duration timeout) {
    long timeoutNanos = toNanosSaturated(timeout);
    long deadline = System.nanoTime() + timeoutNanos; // compared by difference, so overflow is harmless
    long target = added;
    flushTarget = Math.max(flushTarget, target);
    sealReadyBatches();
    while (acknowledged < target) {
      throwIfStopped();
      long remaining = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
      if (remaining <= 0) return false;
      waitFor(remaining);
    }
    throwIfStopped();
    return true;
  }

  /** Flushes, then ends the stream. Throws {@link NpsWriterException} if the writer had stopped. */
  @Override
  public void close() {
    close(Duration.ofNanos(Long.MAX_VALUE));
  }

  /**
   * Flushes for up to {@code timeout}, then ends the stream whatever is left: for shutting down while
   * the server stays unreachable.
   *
   * @return false when responses were left unacknowledged (see {@link Stats#unacknowledgedResponses})
   */
  public boolean close(Duration timeout) {
    synchronized (this) {
      if (closed) {
        throwIfStopped();
        return acknowledged == added;
      }
    }
    boolean flushed = false;
    try {
      flushed = flush(timeout);
    } finally {
      synchronized (this) {
        closed = true;
        streamGeneration++;
        if (requests != null) {
          if (flushed) requests.onCompleted(); else requests.onError(Status.CANCELLED.asException());
          requests = null;
        }
        notifyAll();
      }
      executor.shutdownNow();
    }
    return flushed;
  }

  /** A snapshot of the writer's counters. */
  public synchronized Stats stats() {
    return new Stats(accepted, rejected, duplicates, reconnects, unacked.size(), added - acknowledged);
  }

  // ---- batching -------------------------------------------------------------------------------------

  private synchronized void sealReadyBatches() {
    while (!pending.isEmpty() && unacked.size() < maxInFlightBatches && failure == null) {
      boolean full = pending.size() >= maxBatchSize;
      boolean lingered = System.nanoTime() - pendingSinceNanos >= lingerNanos;
      boolean flushing = added - pending.size() < flushTarget;
      if (!full && !lingered && !flushing) return;
      List<SurveyResponse> responses = Collections.unmodifiableList(new ArrayList<>(pending));
      pending.clear();
      Batch batch = new Batch(nextSequence++, responses);
      unacked.addLast(batch);
      if (requests != null) {
        requests.onNext(batch.request);
      } else if (!reconnectScheduled) {
        openStream(); // sends every unacknowledged batch, this one included
      }
      notifyAll(); // add() may be waiting for room in the batch
    }
  }

  private final class Batch {
    final long sequence;
    final List<SurveyResponse> responses;
    final SubmitResponsesRequest request;

    Batch(long sequence, List<SurveyResponse> responses) {
      this.sequence = sequence;
      this.responses = responses;
      this.request = SubmitResponsesRequest.newBuilder()
          .setWriterId(writerId).setSequence(sequence).addAllResponses(responses).build();
    }
  }

  // ---- the stream -----------------------------------------------------------------------------------

  private synchronized void openStream() {
    if (recovering) reconnects++;
    recovering = false;
    int generation = ++streamGeneration;
    requests = stub.submitResponses(new AckObserver(generation));
    // Acks come in order, one per request, so re-sending everything unacknowledged in order keeps the
    // queue and the acks aligned; already-applied batches come back as duplicates.
    for (Batch batch : unacked) requests.onNext(batch.request);
  }

  private final class AckObserver implements StreamObserver<SubmitResponsesResponse> {
    private final int generation;

    AckObserver(int generation) { this.generation = generation; }

    @Override public void onNext(SubmitResponsesResponse ack) { run(() -> onAck(generation, ack)); }

    @Override public void onError(Throwable t) { run(() -> onStreamEnded(generation, t)); }

    @Override public void onCompleted() { run(() -> onStreamEnded(generation, null)); }
  }

  private void onAck(int generation, SubmitResponsesResponse ack) {
    Batch batch;
    synchronized (this) {
      if (generation != streamGeneration) return; // a late ack of a stream we gave up on
      batch = unacked.peekFirst();
      if (batch == null || batch.sequence != ack.getSequence()) {
        stop(new IllegalStateException("acknowledgement for sequence " + ack.getSequence() + " while expecting "
            + (batch == null ? "none" : String.valueOf(batch.sequence))));
        return;
      }
    }
    // Listeners hear about a batch's rejections before flush() can return for it. Only this thread
    // handles stream events, so the batch is still at the head of the queue afterwards.
    if (rejectionListener != null) {
      for (RejectedResponse r : ack.getRejectedList()) {
        SurveyResponse response = r.getIndex() >= 0 && r.getIndex() < batch.responses.size()
            ? batch.responses.get(r.getIndex()) : null;
        try {
          rejectionListener.accept(new Rejection(response, batch.sequence, r.getIndex(), r.getField(),
              r.getDescription(), r.getReason()));
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "rejection listener threw", e);
        }
      }
    }
    synchronized (this) {
      if (unacked.peekFirst() != batch) return;
      unacked.removeFirst();
      backoffAttempt = 0;
      acknowledged += batch.responses.size();
      accepted += ack.getAcceptedCount(); // for a duplicate: counted by the earlier delivery, still once
      rejected += ack.getRejectedCount();
      if (ack.getDuplicate()) duplicates++;
      sealReadyBatches();
      notifyAll();
    }
  }

  private synchronized void onStreamEnded(int generation, Throwable error) {
    if (generation != streamGeneration) return;
    requests = null;
    streamGeneration++;
    if (error == null && unacked.isEmpty()) return; // a clean end; a new stream opens when needed
    if (error != null && !isRetriable(Status.fromThrowable(error))) {
      stop(error);
      return;
    }
    long base = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(backoffAttempt, 30));
    backoffAttempt++;
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1); // jitter spreads clients out
    recovering = true;
    reconnectScheduled = true;
    schedule(this::reconnect, delay);
  }

  private synchronized void reconnect() {
    reconnectScheduled = false;
    if (closed || failure != null) return;
    if (unacked.isEmpty()) return; // nothing to re-send; the next batch opens the stream
    openStream();
  }

  /**
   * Whether a call that ended with {@code status} is worth retrying: the server or the connection went away
   * (UNAVAILABLE: server shutting down, store unreachable, connection dropped, reset or refused; ABORTED;
   * DEADLINE_EXCEEDED). Every other status is the server's answer and would come back the same, and so is an
   * UNAVAILABLE whose cause is a server certificate that could not be verified ({@link #isCertificateFailure}).
   */
  public static boolean isRetriable(Status status) {
    if (isCertificateFailure(status)) return false;
    switch (status.getCode()) {
      case UNAVAILABLE: // server shutting down, store unreachable, connection dropped or refused
      case ABORTED:
      case DEADLINE_EXCEEDED:
        return true;
      default:
        return false;
    }
  }

  /**
   * Whether {@code status} (gRPC reports it as UNAVAILABLE, like a lost connection) failed because the TLS
   * handshake could not verify the server's certificate: not signed by a trusted CA (the wrong CA file), expired,
   * or not for this host. A wrong CA never heals by retrying, so this is final, not transient. Told by the types in
   * the status's cause chain (kept on the client side only): a {@link CertificateException} (the JDK's
   * ValidatorException, a host name mismatch), a {@link CertPathValidatorException} or {@link
   * CertPathBuilderException}, or an {@link SSLPeerUnverifiedException}. A connection refused, reset or closed,
   * even mid-handshake, has none of them and stays retriable.
   */
  public static boolean isCertificateFailure(Status status) {
    int depth = 0;
    for (Throwable t = status.getCause(); t != null && depth < 16; t = t.getCause(), depth++) { // bounded: no cycles
      if (t instanceof CertificateException || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException || t instanceof SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message of {@code error}'s cause chain: for a certificate failure, why it was not verified. */
  private static String innermostMessage(Throwable error) {
    String message = null;
    int depth = 0;
    for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t.getMessage() != null && !t.getMessage().isEmpty()) message = t.getMessage();
    }
    return message;
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  private synchronized void stop(Throwable cause) {
    if (failure != null) return;
    Status status = Status.fromThrowable(cause);
    String why = isCertificateFailure(status)
        ? "the server's certificate could not be verified against the trusted CAs (check the CA file given to the"
            + " channel's TlsChannelCredentials): " + innermostMessage(status.getCause())
        : status.getDescription();
    failure = new NpsWriterException("NpsWriter " + writerId + " stopped: " + status.getCode()
        + (why != null ? ": " + why : ""), cause, added - acknowledged);
    if (requests != null) {
      requests.onError(Status.CANCELLED.withDescription("writer stopped").asException());
      requests = null;
    }
    streamGeneration++;
    notifyAll();
  }

  private void throwIfStopped() {
    if (failure != null) {
      NpsWriterException e = new NpsWriterException(failure.getMessage(), failure.getCause(),
          failure.unacknowledgedResponses());
      throw e; // a fresh exception so the caller's stack trace shows where it surfaced
    }
  }

  private void waitFor(long nanos) {
    try {
      if (nanos == Long.MAX_VALUE) wait(); else TimeUnit.NANOSECONDS.timedWait(this, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NpsWriterException("interrupted while waiting for acknowledgements", e, added - acknowledged);
    }
  }

  private void schedule(Runnable task, long delayNanos) {
    run(task, delayNanos);
  }

  private void run(Runnable task) {
    run(task, 0);
  }

  private void run(Runnable task, long delayNanos) {
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        stop(e);
      }
    };
    try {
      executor.schedule(guarded, delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: late callbacks of the ended stream have nothing left to update
    }
  }

  private static long toNanosSaturated(Duration duration) {
    if (duration.isNegative()) return 0;
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // more than 292 years: forever
    }
  }

  private static long unixMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Counters of one writer. */
  public static final class Stats {
    private final long accepted;
    private final long rejected;
    private final long duplicates;
    private final long reconnects;
    private final int unacknowledgedBatches;
    private final long unacknowledgedResponses;

    Stats(long accepted, long rejected, long duplicates, long reconnects, int unacknowledgedBatches,
        long unacknowledgedResponses) {
      this.accepted = accepted;
      this.rejected = rejected;
      this.duplicates = duplicates;
      this.reconnects = reconnects;
      this.unacknowledgedBatches = unacknowledgedBatches;
      this.unacknowledgedResponses = unacknowledgedResponses;
    }

    /** Responses acknowledged as counted (once, even when the acknowledgement was a duplicate's). */
    public long accepted() { return accepted; }

    /** Responses the server rejected. */
    public long rejected() { return rejected; }

    /** Batches acknowledged as duplicates: re-sent after a failure but already applied. */
    public long duplicates() { return duplicates; }

    /** Streams re-opened after a retriable failure. */
    public long reconnects() { return reconnects; }

    /** Batches sent or waiting to be re-sent, not yet acknowledged. */
    public int unacknowledgedBatches() { return unacknowledgedBatches; }

    /** Responses added (buffered or in flight) and not yet acknowledged. */
    public long unacknowledgedResponses() { return unacknowledgedResponses; }

    @Override
    public String toString() {
      return "Stats{accepted=" + accepted + ", rejected=" + rejected + ", duplicates=" + duplicates
          + ", reconnects=" + reconnects + ", unacknowledgedBatches=" + unacknowledgedBatches
          + ", unacknowledgedResponses=" + unacknowledgedResponses + "}";
    }
  }

  /** Options of a writer; every one has a sensible default. */
  public static final class Builder {
    private final Channel channel;
    private String writerId;
    private long firstSequence;
    private int maxBatchSize = 500;
    private Duration linger = Duration.ofMillis(200);
    private int maxInFlightBatches = 8;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Consumer<Rejection> rejectionListener;

    private Builder(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * The writer id, 1 to 128 characters from [A-Za-z0-9._:-]. Keep it stable across restarts of the
     * producer (and distinct per concurrent producer). Default: {@code java-<random uuid>}.
     */
    public Builder writerId(String writerId) {
      this.writerId = Objects.requireNonNull(writerId, "writerId");
      return this;
    }

    /**
     * The sequence of the first batch. Default: the current Unix time in microseconds, so a restarted
     * producer that reuses its writer id still numbers above its previous run.
     */
    public Builder firstSequence(long firstSequence) {
      if (firstSequence < 1) throw new IllegalArgumentException("firstSequence must be at least 1");
      this.firstSequence = firstSequence;
      return this;
    }

    /** Responses per batch, 1 to 1000. Default 500. */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1 || maxBatchSize > 1000) {
        throw new IllegalArgumentException("maxBatchSize must be 1 to 1000");
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** How long the first response of a batch waits for others before the batch is sent. Default 200 ms. */
    public Builder linger(Duration linger) {
      if (linger.isNegative()) throw new IllegalArgumentException("linger must not be negative");
      this.linger = linger;
      return this;
    }

    /** How many batches may be sent without an acknowledgement. Default 8. */
    public Builder maxInFlightBatches(int maxInFlightBatches) {
      if (maxInFlightBatches < 1) throw new IllegalArgumentException("maxInFlightBatches must be at least 1");
      this.maxInFlightBatches = maxInFlightBatches;
      return this;
    }

    /** Backoff before reconnecting: starts at {@code initial}, doubles up to {@code max}, with jitter. */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 < initial <= max");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Called once for each rejected response, on the writer's own thread, after its batch is acknowledged.
     * Keep it quick.
     */
    public Builder onRejection(Consumer<Rejection> listener) {
      this.rejectionListener = listener;
      return this;
    }

    public NpsWriter build() {
      return new NpsWriter(this);
    }
  }
}
