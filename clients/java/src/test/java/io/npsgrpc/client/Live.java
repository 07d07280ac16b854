package io.npsgrpc.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.npsgrpc.nps.v1.GetScoreRequest;
import io.npsgrpc.nps.v1.NpsServiceGrpc;
import io.npsgrpc.nps.v1.Score;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The live server's TLS + API key twin (see .ci/live-server.sh): host:port. */
  static String secureAddress() {
    return variable("NPS_SECURE_SERVER_ADDRESS");
  }

  /** The file of the TLS twin's self-signed certificate (PEM). */
  static String secureCertificateFile() {
    return variable("NPS_SECURE_SERVER_CA");
  }

  /** An API key of the TLS twin with the submit and read scopes. */
  static String secureApiKey() {
    return variable("NPS_SECURE_SERVER_API_KEY");
  }

  /** An API key of the TLS twin with the follow_up scope only, what a follow-up worker needs. */
  static String secureFollowUpApiKey() {
    return variable("NPS_SECURE_SERVER_FOLLOW_UP_API_KEY");
  }

  /**
   * A CA certificate (PEM) made now with openssl, in a temp dir, that did NOT sign the TLS twin's certificate: what a
   * worker or channel given the wrong CA file trusts.
   */
  static String unrelatedCaFile() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("nps-wrong-ca");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=not-the-server-ca", "-keyout", "k.pem", "-out", "ca.pem")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      openssl.destroyForcibly();
      throw new IllegalStateException("openssl req failed: " + Files.readString(dir.resolve("openssl.log")));
    }
    return dir.resolve("ca.pem").toString();
  }

  private static String variable(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("set " + name + " (the live server's TLS twin; test.sh starts one)");
    }
    return value;
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
