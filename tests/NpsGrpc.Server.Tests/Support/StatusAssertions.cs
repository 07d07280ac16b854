using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

internal static class StatusAssertions
{
    /// <summary>
    /// Asserts INVALID_ARGUMENT with reason ERROR_REASON_INVALID_FIELDS naming the same fields as the google.rpc.BadRequest
    /// field violations, and returns those, by field.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FieldViolations(RpcException exception)
    {
        var info = ErrorInfo(exception, StatusCode.InvalidArgument, ErrorReason.InvalidFields);
        var badRequest = exception.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.NotEmpty(badRequest.FieldViolations);
        Assert.Equal(string.Join(',', badRequest.FieldViolations.Select(violation => violation.Field).Distinct()), info.Metadata["fields"]);
        return badRequest.FieldViolations.ToDictionary(violation => violation.Field, violation => violation.Description);
    }

    /// <summary>Asserts the status code and its google.rpc.ErrorInfo: domain nps.v1 and the contract's name of <paramref name="reason"/>.</summary>
    public static ErrorInfo ErrorInfo(RpcException exception, StatusCode code, ErrorReason reason)
    {
        Assert.True(code == exception.StatusCode, $"expected {code}, got {exception.StatusCode}: {exception.Status.Detail}");
        var status = exception.GetRpcStatus();
        Assert.NotNull(status);
        var info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("nps.v1", info.Domain);
        Assert.Equal(ReasonName(reason), info.Reason);
        return info;
    }

    /// <summary>The reason string a server sends for <paramref name="reason"/>: the value's name in nps.proto.</summary>
    public static string ReasonName(ErrorReason reason) =>
        NpsReflection.Descriptor.FindTypeByName<EnumDescriptor>(nameof(ErrorReason)).FindValueByNumber((int)reason).Name;
}
