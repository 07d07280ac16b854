using Grpc.Net.Client;
using NpsGrpc.V1;

namespace NpsGrpc.Testing;

/// <summary>Where a test server listens, and a real HTTP/2 channel and client to it.</summary>
public abstract class ServerEndpoint
{
    protected ServerEndpoint(Uri address)
    {
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
        Client = new NpsService.NpsServiceClient(Channel);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public NpsService.NpsServiceClient Client { get; }
}
