package io.npsgrpc.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.npsgrpc.nps.v1.FollowUpBacklog;
import io.npsgrpc.nps.v1.FollowUpOutcome;
import io.npsgrpc.nps.v1.FollowUpResult;
import io.npsgrpc.nps.v1.GetFollowUpBacklogRequest;
import io.npsgrpc.nps.v1.ListResponsesRequest;
import io.npsgrpc.nps.v1.ListResponsesResponse;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.ResponseRecord;
import io.npsgrpc.nps.v1.ScoreCategory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The FollowUpWorker example against the live server: it must hand every detractor of its group to its handler
 * and acknowledge it, also when its connection is cut while it works, and over TLS with an API key against the TLS
 * twin; what the server says afterwards (GetFollowUpBacklog, ListResponses) is the proof. A wrong key ends it.
 */
public class FollowUpWorkerTest {
  private static final String CONSUMER = "worker-1";
  private static final Pattern ACKNOWLEDGED = Pattern.compile("^acknowledged (\\S+) as CONTACTED$");

  private ManagedChannel direct;
  private NpsServiceGrpc.NpsServiceBlockingStub nps;

  @Before
  public void connect() {
    direct = Live.channel(Live.address());
    nps = NpsServiceGrpc.newBlockingStub(direct);
  }

  @After
  public void disconnect() throws InterruptedException {
    Live.shutdown(direct);
  }

  /** The example run as a process on this JVM's class path, its output read line by line while it runs. */
  private static final class WorkerProcess implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Process process;

    WorkerProcess(List<String> args) throws Exception {
      this(args, null);
    }

    /** Runs the worker with {@code apiKey} as its NPS_API_KEY (none when null). */
    WorkerProcess(List<String> args, String apiKey) throws Exception {
      List<String> command = new ArrayList<>(Arrays.asList(
          Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          // netty-tcnative for TLS, where test.sh put it (offline-build.sh)
          "-Djava.library.path=" + System.getProperty("java.library.path"),
          "-cp", System.getProperty("java.class.path"), "io.npsgrpc.example.FollowUpWorker"));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // Only what the test gives: a key or CA file from the developer's environment must not change the run.
      builder.environment().remove("NPS_API_KEY");
      builder.environment().remove("NPS_SERVER_CA");
      if (apiKey != null) builder.environment().put("NPS_API_KEY", apiKey);
      process = builder.start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) lines.add(line);
        } catch (Exception ignored) {
          // the process ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** The distinct records it says it acknowledged, sorted. */
    List<String> acknowledged() {
      TreeSet<String> ids = new TreeSet<>();
      for (String line : lines) {
        Matcher m = ACKNOWLEDGED.matcher(line);
        if (m.matches()) ids.add(m.group(1));
      }
      return new ArrayList<>(ids);
    }

    long count(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** Waits for the worker to exit by itself and returns its exit code. */
    int exitCode() throws InterruptedException {
      return exitCode(60);
    }

    /** Waits at most {@code seconds} for the worker to exit by itself (the test fails if not) and returns its exit code. */
    int exitCode(int seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        fail("the worker did not stop within " + seconds + " s:\n" + String.join("\n", lines));
      }
      Thread.sleep(100); // the reader's last lines
      System.out.println(String.join("\n", lines));
      return process.exitValue();
    }

    void assertExitsCleanly() throws InterruptedException {
      assertEquals(String.join("\n", lines), 0, exitCode());
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static List<String> arguments(String address, String group, String product, Instant start, int maxRecords) {
    return new ArrayList<>(Arrays.asList("--address", address, "--group", group, "--consumer", CONSUMER,
        "--product", product, "--max-records", String.valueOf(maxRecords), "--start-time", start.toString()));
  }

  /** The arguments for the TLS twin: its https:// address and its certificate as the CA file. */
  private static List<String> secureArguments(String group, String product, Instant start, int maxRecords) {
    List<String> args = arguments("https://" + Live.secureAddress(), group, product, start, maxRecords);
    args.addAll(Arrays.asList("--ca-file", Live.secureCertificateFile()));
    return args;
  }

  private void assertThePromoterIsNotFollowedUp(String product) {
    List<ResponseRecord> promoters = records(product, ScoreCategory.SCORE_CATEGORY_PROMOTER);
    assertEquals(1, promoters.size());
    assertEquals(0, promoters.get(0).getFollowUpsCount());
  }

  private void submitDetractors(String product, int first, int count) {
    try (NpsWriter writer = NpsWriter.newBuilder(direct).build()) {
      for (int i = first; i < first + count; i++) writer.add(product, i % 7, Map.of(), "Detractor " + i + ": the app crashed", null);
    }
  }

  private List<ResponseRecord> records(String product, ScoreCategory category) {
    List<ResponseRecord> all = new ArrayList<>();
    ListResponsesRequest.Builder request = ListResponsesRequest.newBuilder().setProductId(product).setPageSize(1000)
        .addCategories(category);
    do {
      ListResponsesResponse page = nps.withDeadlineAfter(10, TimeUnit.SECONDS).listResponses(request.build());
      all.addAll(page.getRecordsList());
      request.setPageToken(page.getNextPageToken());
    } while (!request.getPageToken().isEmpty());
    return all;
  }

  private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
      Thread.sleep(5);
    }
  }

  /** The server's view: nothing waits or is in progress, every detractor is done by the worker as contacted. */
  private void assertAllDone(WorkerProcess worker, String product, String group, int count) {
    List<String> ids = new ArrayList<>();
    for (ResponseRecord r : records(product, ScoreCategory.SCORE_CATEGORY_DETRACTOR)) {
      ids.add(product + "/" + r.getRecordId());
      boolean done = false;
      for (FollowUpResult f : r.getFollowUpsList()) {
        done |= f.getGroup().equals(group) && f.getConsumer().equals(CONSUMER)
            && f.getOutcome() == FollowUpOutcome.FOLLOW_UP_OUTCOME_CONTACTED && f.getNote().equals("called back by " + CONSUMER);
      }
      assertTrue("record " + r.getRecordId() + " is done: " + r.getFollowUpsList(), done);
    }
    Collections.sort(ids);
    assertEquals(count, ids.size());
    assertEquals(ids, worker.acknowledged());
    FollowUpBacklog backlog = nps.withDeadlineAfter(10, TimeUnit.SECONDS).getFollowUpBacklog(
        GetFollowUpBacklogRequest.newBuilder().setGroup(group).addProductIds(product).build()).getBacklogs(0);
    assertEquals(Arrays.asList(product, 0L, 0L, (long) count, (long) count), Arrays.asList(backlog.getProductId(),
        backlog.getWaitingCount(), backlog.getInProgressCount(), backlog.getDoneCount(), backlog.getDoneInIntervalCount()));
    assertNotNull(backlog.getMedianTimeToDone());
    assertTrue(backlog.hasMedianTimeToDone());
  }

  @Test(timeout = 90_000)
  public void theWorkerAcknowledgesEveryDetractorOfItsGroupAndTheBacklogShowsThemDone() throws Exception {
    String product = Live.uniqueId("worker");
    String group = Live.uniqueId("team");
    Instant start = Instant.now().minusSeconds(1);
    try (NpsWriter writer = NpsWriter.newBuilder(direct).build()) {
      for (int i = 0; i < 5; i++) writer.add(product, i, Map.of(), "Slow checkout, try " + i, null);
      writer.add(product, 6); // a detractor who wrote nothing is followed up too
      writer.add(product, 10, Map.of(), "Love it", null); // recorded for its comment, not of the group's category
      writer.add(product, 8);
    }

    try (WorkerProcess worker = new WorkerProcess(arguments(Live.address(), group, product, start, 6))) {
      worker.assertExitsCleanly();
      assertAllDone(worker, product, group, 6);
      assertTrue(worker.lines.contains("handled 6 records"));
      assertTrue(worker.lines.stream().anyMatch(l -> l.startsWith("record " + product + "/") && l.endsWith(": Slow checkout, try 3")));
    }
    assertThePromoterIsNotFollowedUp(product);
  }

  @Test(timeout = 120_000)
  public void aWorkerWhoseConnectionIsCutTwiceResumesAndEveryRecordEndsAcknowledged() throws Exception {
    int wave = 10;
    String product = Live.uniqueId("worker-drop");
    String group = Live.uniqueId("team");
    Instant start = Instant.now().minusSeconds(1);
    submitDetractors(product, 0, wave);
    List<String> args;
    try (TcpProxy proxy = new TcpProxy(Live.address())) {
      // One delivery outstanding at a time: the worker is always in the middle of something when the cut comes.
      args = arguments(proxy.address(), group, product, start, 2 * wave);
      args.addAll(Arrays.asList("--max-outstanding", "1"));
      try (WorkerProcess worker = new WorkerProcess(args)) {
        waitUntil("the worker acknowledged three records", () -> worker.acknowledged().size() >= 3);
        // Swallow what the server sends next (a delivery, or the answer to an acknowledgement) before the cut: the
        // server holds a lease the worker never saw, or took an acknowledgement the worker must retry.
        proxy.holdServerBytes();
        waitUntil("the proxy swallowed the server's next bytes", () -> proxy.swallowed() > 0);
        proxy.cutAll();
        waitUntil("the worker reconnected", () -> worker.count("watching ") >= 2);
        submitDetractors(product, wave, wave); // recorded while the worker resumes
        waitUntil("the worker reached the second wave", () -> worker.acknowledged().size() >= wave + 3);
        proxy.cutAll();
        worker.assertExitsCleanly();

        assertTrue(String.join("\n", worker.lines), worker.count("stream lost (") >= 1);
        assertTrue("the proxy accepted " + proxy.acceptedConnections(), proxy.acceptedConnections() >= 2);
        assertAllDone(worker, product, group, 2 * wave);
      }
    }
  }

  @Test(timeout = 90_000)
  public void overTlsWithAFollowUpKeyTheWorkerAcknowledgesExactlyTheDetractorsOfItsGroup() throws Exception {
    String product = Live.uniqueId("worker-tls");
    String group = Live.uniqueId("team");
    Instant start = Instant.now().minusSeconds(1);
    try (NpsWriter writer = NpsWriter.newBuilder(direct).build()) {
      for (int i = 0; i < 3; i++) writer.add(product, 2 * i, Map.of(), "Too expensive, take " + i, null);
      writer.add(product, 9, Map.of(), "Fast and friendly", null); // recorded for its comment, not followed up
      writer.add(product, 7);
    }

    // As the README runs it against a production server: https:// address, the CA file, the key in NPS_API_KEY.
    try (WorkerProcess worker = new WorkerProcess(secureArguments(group, product, start, 3), Live.secureFollowUpApiKey())) {
      worker.assertExitsCleanly();
      assertAllDone(worker, product, group, 3);
      assertTrue(worker.lines.contains("handled 3 records"));
    }
    assertThePromoterIsNotFollowedUp(product);
  }

  @Test(timeout = 90_000)
  public void withAWrongApiKeyTheWorkerExits1NamingTheStatusInsteadOfRetrying() throws Exception {
    String[][] cases = {
        {"none", null, "UNAUTHENTICATED", "needs an API key"},
        {"unknown", "nps_" + Live.uniqueId("unknown"), "UNAUTHENTICATED", "The API key is not valid"},
        {"without the follow_up scope", Live.secureApiKey(), "PERMISSION_DENIED", "it lacks the 'follow_up' scope"},
    };
    for (String[] c : cases) {
      String key = c[0];
      String status = c[2];
      String detail = c[3];
      List<String> args = secureArguments(Live.uniqueId("team"), Live.uniqueId("worker-key"), Instant.now(), 1);
      try (WorkerProcess worker = new WorkerProcess(args, c[1])) {
        int code = worker.exitCode();
        String output = "key " + key + ":\n" + String.join("\n", worker.lines);
        assertEquals(output, 1, code);
        assertTrue(output, worker.lines.stream().anyMatch(l -> l.startsWith("follow-up stream refused: " + status + ": ") && l.contains(detail)));
        assertEquals(output, 0, worker.count("stream lost")); // not taken for a lost connection
      }
    }
  }

  @Test(timeout = 90_000)
  public void withACaFileThatDidNotSignTheServersCertificateTheWorkerExits1AtOnceInsteadOfReconnecting() throws Exception {
    String wrongCa = Live.unrelatedCaFile();
    List<String> args = arguments("https://" + Live.secureAddress(), Live.uniqueId("team"),
        Live.uniqueId("worker-wrong-ca"), Instant.now(), 1);
    args.addAll(Arrays.asList("--ca-file", wrongCa));
    try (WorkerProcess worker = new WorkerProcess(args, Live.secureFollowUpApiKey())) {
      // Retrying with backoff would keep it running for ever: 30 s is far more than one failed handshake takes.
      int code = worker.exitCode(30);
      String output = String.join("\n", worker.lines);
      assertEquals(output, 1, code);
      String expected = "the server's certificate was not verified against the CA file given (--ca-file " + wrongCa + "): ";
      assertTrue(output, worker.lines.stream().anyMatch(l -> l.startsWith(expected) && l.length() > expected.length()));
      assertEquals(output, 0, worker.count("stream lost")); // not taken for a lost connection
      assertEquals(output, 1, worker.count("watching ")); // one attempt, no reconnect
    }
  }
}
