using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>
/// A gRPC-Web client as a browser is one: HTTP/1.1, gRPC-Web framing (or its base64 text form, what browser libraries
/// send), and every HTTP version the server answered with, so a test can show which protocol carried its calls.
/// </summary>
internal sealed class BrowserChannel : IDisposable
{
    private readonly Recorder _recorder;

    public BrowserChannel(Uri address, GrpcWebMode mode = GrpcWebMode.GrpcWeb, HttpMessageHandler? transport = null)
    {
        _recorder = new Recorder(transport ?? new SocketsHttpHandler());
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(mode, _recorder),
            // Exactly HTTP/1.1, as a browser speaking to a cleartext address: never upgraded or negotiated to HTTP/2.
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        Client = new NpsService.NpsServiceClient(Channel);
    }

    public GrpcChannel Channel { get; }

    public NpsService.NpsServiceClient Client { get; }

    /// <summary>The HTTP version of every response so far.</summary>
    public IReadOnlyCollection<Version> Versions => _recorder.Versions;

    public void Dispose() => Channel.Dispose();

    private sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly ConcurrentQueue<Version> _versions = new();

        public IReadOnlyCollection<Version> Versions => _versions;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            _versions.Enqueue(response.Version);
            return response;
        }
    }
}
