using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace NpsGrpc.Server.Services;

/// <summary>
/// grpc-dotnet parses a unary request before any interceptor runs and answers bytes it cannot parse with UNKNOWN.
/// This checks the one message of the read RPCs first, so malformed bytes get INVALID_ARGUMENT with the parser's
/// reason, as they do on SubmitResponses. Anything it cannot judge (compressed, oversized, wrongly framed) is left
/// to grpc-dotnet, which has its own precise answers for those.
/// </summary>
internal sealed class UnaryRequestParsingMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits)
{
    private const int FrameHeaderLength = 5;

    private static readonly Dictionary<string, MessageParser> Parsers = V1.NpsService.Descriptor.Methods
        .Where(method => !method.IsClientStreaming && !method.IsServerStreaming)
        .ToDictionary(method => $"/{V1.NpsService.Descriptor.FullName}/{method.Name}", method => method.InputType.Parser, StringComparer.Ordinal);

    private readonly int _maxMessageBytes = limits.Value.MaxReceiveMessageBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Parsers.TryGetValue(context.Request.Path.Value ?? string.Empty, out var parser)
            || context.Request.ContentLength is > 0 and var length && length > _maxMessageBytes + FrameHeaderLength)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: _maxMessageBytes + FrameHeaderLength);
        byte[] body;
        try
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted).ConfigureAwait(false);
            body = copy.ToArray();
        }
        catch (IOException)
        {
            body = []; // Over the buffer limit, or the client went away: grpc-dotnet reports either.
        }

        context.Request.Body.Position = 0;
        if (body.Length >= FrameHeaderLength && body[0] == 0
            && BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)) == body.Length - FrameHeaderLength)
        {
            try
            {
                parser.ParseFrom(body, FrameHeaderLength, body.Length - FrameHeaderLength);
            }
            catch (InvalidProtocolBufferException e)
            {
                GrpcTrailersOnly.Write(context.Response, Grpc.Core.StatusCode.InvalidArgument, ErrorMappingInterceptor.UnparseableMessage(e));
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }
}
