package io.npsgrpc.client;

import io.grpc.Attributes;
import io.grpc.ChannelCredentials;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Channels to the NpsGrpc server: one address, or several instances of it. */
public final class NpsChannels {
  private static final String SCHEME = "nps-instances";

  static {
    NameResolverRegistry.getDefaultRegistry().register(new InstancesResolverProvider());
  }

  private NpsChannels() {}

  /**
   * A channel builder for one server or several instances of it, {@code host:port} each, with the given
   * credentials ({@code InsecureChannelCredentials.create()} for plaintext HTTP/2, or TLS). With several, the
   * channel keeps a connection to each and balances calls round-robin over those that are up, so a writer whose
   * instance fails opens its next stream on another one; each instance's TLS certificate is checked against its
   * own host.
   */
  public static ManagedChannelBuilder<?> forAddresses(List<String> addresses, ChannelCredentials credentials) {
    if (addresses.isEmpty()) throw new IllegalArgumentException("at least one address is needed");
    if (addresses.size() == 1) return Grpc.newChannelBuilder(addresses.get(0), credentials);
    for (String address : addresses) parse(address); // fail here, not when the channel first resolves
    return Grpc.newChannelBuilder(SCHEME + ":///" + String.join(",", addresses), credentials)
        .defaultLoadBalancingPolicy("round_robin");
  }

  private static InetSocketAddress parse(String address) {
    URI uri = URI.create("//" + address);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("not a host:port address: " + address);
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** Resolves "nps-instances:///host:port,host:port" to those addresses, once. */
  private static final class InstancesResolverProvider extends NameResolverProvider {
    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
      if (!SCHEME.equals(target.getScheme())) return null;
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (String address : target.getPath().substring(1).split(",")) {
        InetSocketAddress socket = parse(address);
        Attributes authority = Attributes.newBuilder()
            .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, address).build();
        groups.add(new EquivalentAddressGroup(socket, authority));
      }
      return new NameResolver() {
        @Override public String getServiceAuthority() { return "nps-instances"; }
        @Override public void start(Listener2 listener) {
          listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }
        @Override public void shutdown() {}
      };
    }

    @Override public String getDefaultScheme() { return SCHEME; }
    @Override protected boolean isAvailable() { return true; }
    // Below DNS (5): the registry takes its default scheme, for targets without one, from the first provider.
    @Override protected int priority() { return 1; }
  }
}
