using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
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

        // Peek, do not consume: every read ends with AdvanceTo(start, end), so grpc-dotnet reads the same bytes
        // from the same pipe afterwards, without a copy or a second buffer.
        var body = context.Request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await body.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                break; // The client went away: grpc-dotnet reports it.
            }

            var buffer = read.Buffer;
            var judged = read.IsCompleted || read.IsCanceled || buffer.Length > _maxMessageBytes + FrameHeaderLength;
            var refusal = read.IsCompleted ? Refusal(parser, buffer) : null;
            body.AdvanceTo(buffer.Start, buffer.End);
            if (refusal is not null)
            {
                GrpcTrailersOnly.Write(context.Response, Grpc.Core.StatusCode.InvalidArgument, refusal);
                return;
            }

            if (judged)
            {
                break;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Why a whole, uncompressed, well-framed request does not parse; null when it parses or is not ours to judge.</summary>
    private static string? Refusal(MessageParser parser, ReadOnlySequence<byte> body)
    {
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        if (body.Length < FrameHeaderLength)
        {
            return null;
        }

        body.Slice(0, FrameHeaderLength).CopyTo(header);
        if (header[0] != 0 || BinaryPrimitives.ReadUInt32BigEndian(header[1..]) != body.Length - FrameHeaderLength)
        {
            return null;
        }

        try
        {
            parser.ParseFrom(body.Slice(FrameHeaderLength));
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return ErrorMappingInterceptor.UnparseableMessage(e);
        }
    }
}
