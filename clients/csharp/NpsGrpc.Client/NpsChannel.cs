using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace NpsGrpc.Client;

/// <summary>Settings of <see cref="NpsChannel.ForAddresses"/>. Every property is optional.</summary>
public sealed record NpsChannelOptions
{
    /// <summary>
    /// An API key of the server's configuration, sent as <c>authorization: Bearer KEY</c> on every call. Only over
    /// TLS (<c>https://</c> addresses): a key sent in plaintext is a key given away.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// A certificate to trust as the root of the server's chain instead of the system's CAs: a private CA, or the
    /// server's own self-signed certificate.
    /// </summary>
    public X509Certificate2? TrustedCertificate { get; init; }
}

/// <summary>Creates channels to the NpsGrpc server: one address or several instances, TLS and an API key.</summary>
public static class NpsChannel
{
    /// <summary>A channel to one server: <c>https://host:port</c> for TLS, <c>http://host:port</c> or <c>host:port</c> for plaintext HTTP/2.</summary>
    public static GrpcChannel ForAddress(string address, NpsChannelOptions? options = null) => ForAddresses([address], options);

    /// <summary>
    /// A channel to one server or to several instances of it (all <c>https://</c>, or all plaintext). With several, it
    /// keeps a connection to each and balances calls round-robin over those that are up, so a writer whose instance
    /// fails opens its next stream on another one.
    /// </summary>
    public static GrpcChannel ForAddresses(IReadOnlyList<string> addresses, NpsChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        options ??= new NpsChannelOptions();
        if (addresses.Count == 0)
        {
            throw new ArgumentException("At least one address is needed.", nameof(addresses));
        }

        var uris = addresses.Select(a => new Uri(a.Contains("://", StringComparison.Ordinal) ? a : "http://" + a)).ToList();
        var tls = uris[0].Scheme == Uri.UriSchemeHttps;
        if (uris.Exists(u => (u.Scheme == Uri.UriSchemeHttps) != tls))
        {
            throw new ArgumentException("The addresses must be all https:// or all plaintext.", nameof(addresses));
        }

        if (options.ApiKey is not null && !tls)
        {
            throw new ArgumentException("An API key is only sent over TLS: use https:// addresses.", nameof(options));
        }

        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (options.TrustedCertificate is { } trusted)
        {
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { trusted },
                // What SslStream does without a policy: a private CA rarely publishes revocation lists.
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        var credentials = tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        if (options.ApiKey is { } apiKey)
        {
            var bearer = "Bearer " + apiKey;
            credentials = ChannelCredentials.Create(credentials, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", bearer);
                return Task.CompletedTask;
            }));
        }

        var channelOptions = new GrpcChannelOptions { HttpHandler = handler, Credentials = credentials, DisposeHttpClient = true };
        if (uris.Count == 1)
        {
            return GrpcChannel.ForAddress(uris[0], channelOptions);
        }

        var resolver = new StaticResolverFactory(_ => uris.Select(u => new BalancerAddress(u.Host, u.Port)));
        channelOptions.ServiceProvider = new ResolverServices(resolver);
        channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        return GrpcChannel.ForAddress("static:///nps", channelOptions);
    }

    /// <summary>Gives the channel the static resolver, without a dependency injection container.</summary>
    private sealed class ResolverServices(ResolverFactory resolver) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { resolver }
            : serviceType == typeof(ResolverFactory) ? resolver
            : null;
    }
}
