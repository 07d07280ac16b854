package io.npsgrpc.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Call credentials that send an API key of the server's configuration ({@code Authentication:ApiKeys}) as
 * {@code authorization: Bearer <key>} on every call. Combine them with TLS credentials:
 * {@code CompositeChannelCredentials.create(TlsChannelCredentials.create(), new ApiKeyCredentials(key))}.
 * Over a connection without privacy the call fails with {@code UNAUTHENTICATED} instead: a key sent in
 * plaintext is a key given away.
 */
public final class ApiKeyCredentials extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String authorization;

  public ApiKeyCredentials(String apiKey) {
    this.authorization = "Bearer " + Objects.requireNonNull(apiKey, "apiKey");
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    if (requestInfo.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY) {
      applier.fail(Status.UNAUTHENTICATED.withDescription("an API key is only sent over TLS"));
      return;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, authorization);
    applier.apply(headers);
  }

  // Abstract in grpc-java 1.41, gone from later releases: no @Override, so that both compile.
  public void thisUsesUnstableApi() {}
}
