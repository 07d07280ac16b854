using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using NpsGrpc.Server.Tests.Support;

namespace NpsGrpc.Server.Tests;

[Collection(ScoringServerCollection.Name)]
public sealed class ReflectionTests(ScoringServerFixture fixture)
{
    [Theory]
    [InlineData("nps.v1.NpsService", "nps/v1/nps.proto")]
    [InlineData("nps.v1.SubmitResponsesRequest", "nps/v1/nps.proto")]
    // Grpc.HealthCheck compiles its proto without a directory, so the file is named plainly.
    [InlineData("grpc.health.v1.Health", "health.proto")]
    // Error details, so that grpcurl can decode the field violations of an INVALID_ARGUMENT status.
    [InlineData("google.rpc.BadRequest", "google/rpc/error_details.proto")]
    [InlineData("google.rpc.ErrorInfo", "google/rpc/error_details.proto")]
    public async Task Reflection_describes_the_services_and_the_error_detail_messages(string symbol, string expectedFile)
    {
        using var call = new ServerReflection.ServerReflectionClient(fixture.Server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var response = call.ResponseStream.Current;

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        var names = response.FileDescriptorResponse.FileDescriptorProto.Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes).Name);
        Assert.Contains(expectedFile, names);
    }

    [Fact]
    public async Task Reflection_lists_every_service_the_server_hosts()
    {
        using var call = new ServerReflection.ServerReflectionClient(fixture.Server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name);

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "nps.v1.NpsService"],
            services.Order(StringComparer.Ordinal));
    }
}
