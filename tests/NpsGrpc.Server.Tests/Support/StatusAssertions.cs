using Google.Rpc;
using Grpc.Core;

namespace NpsGrpc.Server.Tests.Support;

internal static class StatusAssertions
{
    /// <summary>Asserts INVALID_ARGUMENT and returns the google.rpc.BadRequest field violations, by field.</summary>
    public static IReadOnlyDictionary<string, string> FieldViolations(RpcException exception)
    {
        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        var status = exception.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.NotEmpty(badRequest.FieldViolations);
        return badRequest.FieldViolations.ToDictionary(violation => violation.Field, violation => violation.Description);
    }
}
