using Google.Protobuf.Reflection;
using Grpc.Reflection;

namespace NpsGrpc.Server.Extensions;

internal static class ReflectionExtensions
{
    /// <summary>
    /// Server reflection over our services plus the google.rpc error detail messages, so that grpcurl and
    /// buf curl can decode the BadRequest field violations inside an INVALID_ARGUMENT status, not just print bytes.
    /// </summary>
    public static IServiceCollection AddNpsReflection(this IServiceCollection services)
    {
        Google.Protobuf.Reflection.ServiceDescriptor[] served =
        [
            V1.NpsService.Descriptor,
            Grpc.Health.V1.Health.Descriptor,
            Grpc.Reflection.V1.ServerReflection.Descriptor,
            Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        ];
        FileDescriptor[] files = [.. served.Select(service => service.File), Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor];

        var names = served.Select(service => service.FullName).ToArray();
        var symbols = SymbolRegistry.FromFiles(files);

        // Registered before AddGrpcReflection, whose TryAdd then keeps these instances (v1alpha and v1).
        services.AddSingleton(new ReflectionServiceImpl(names, symbols));
        services.AddSingleton(new ReflectionV1ServiceImpl(names, symbols));
        services.AddGrpcReflection();
        return services;
    }
}
