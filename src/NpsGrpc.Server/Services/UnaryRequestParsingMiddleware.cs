using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Pipelines;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Net.Compression;
using Microsoft.Extensions.Options;

namespace NpsGrpc.Server.Services;

/// <summary>
/// grpc-dotnet reads the one request of a unary or server-streaming call before any interceptor runs: it answers bytes it cannot parse (or decompress) with
/// UNKNOWN, and a message over the size limit with a RESOURCE_EXHAUSTED that carries no ErrorInfo. This checks the one
/// message of those RPCs first, decompressed with the server's own providers when compressed, so that each gets the
/// status SubmitResponses gives it. Anything else (an unknown encoding, a wrongly framed body) is left to grpc-dotnet,
/// which has its own precise answers for those. It reads the request as the client sent it, before the gRPC-Web
/// middleware: a gRPC-Web body is framed as a gRPC one, and a gRPC-Web text body is judged decoded aside, since the
/// gRPC-Web middleware's base64 reader cannot read again what was only peeked through it.
/// </summary>
internal sealed class UnaryRequestParsingMiddleware(
    RequestDelegate next, IOptions<LimitsOptions> limits, IOptions<GrpcServiceOptions> grpc, ILogger<UnaryRequestParsingMiddleware> logger)
{
    private const int FrameHeaderLength = 5;

    private static readonly Dictionary<string, MessageDescriptor> RequestTypes = V1.NpsService.Descriptor.Methods
        .Where(method => !method.IsClientStreaming)
        .ToDictionary(method => $"/{V1.NpsService.Descriptor.FullName}/{method.Name}", method => method.InputType, StringComparer.Ordinal);

    private readonly int _maxMessageBytes = limits.Value.MaxReceiveMessageBytes;

    private readonly Dictionary<string, ICompressionProvider> _decompressors =
        grpc.Value.CompressionProviders.ToDictionary(provider => provider.EncodingName, StringComparer.Ordinal);

    // Not async itself: a request that has arrived whole (most do, with their headers) is judged without suspending,
    // and the call's own task is passed on without a state machine of ours around it.
    public Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Path.Value ?? string.Empty;
        if (!RequestTypes.TryGetValue(method, out var requestType))
        {
            return next(context);
        }

        var check = PassesAsync(context, requestType);
        if (check.IsCompletedSuccessfully)
        {
            return check.Result ? next(context) : Task.CompletedTask;
        }

        return ContinueAsync(check, context);
    }

    private async Task ContinueAsync(ValueTask<bool> check, HttpContext context)
    {
        if (await check.ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the call goes on to grpc-dotnet; false once it has been refused here.</summary>
    private async ValueTask<bool> PassesAsync(HttpContext context, MessageDescriptor requestType)
    {
        // Peek, do not consume: every read ends with AdvanceTo(start, end), so grpc-dotnet reads the same bytes
        // from the same pipe afterwards, without a copy or a second buffer. A frame header announcing more than the
        // limit is refused at once, so at most one message of the limit's size is ever held here.
        var body = context.Request.BodyReader;
        var text = GrpcTrailersOnly.IsGrpcWebText(context.Request.ContentType);
        // Base64 takes 4 characters for 3 bytes: a text body is judged once it is longer than the largest message's text.
        var judgedAt = text ? Base64.GetMaxEncodedToUtf8Length(_maxMessageBytes + FrameHeaderLength) : _maxMessageBytes + FrameHeaderLength;
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
            var encoding = context.Request.Headers["grpc-encoding"].ToString();
            var refusal = text ? TextRefusal(requestType, buffer, read.IsCompleted, encoding) : Refusal(requestType, buffer, read.IsCompleted, encoding);
            var judged = read.IsCompleted || read.IsCanceled || buffer.Length > judgedAt;
            body.AdvanceTo(buffer.Start, buffer.End);
            if (refusal is not null)
            {
                GrpcTrailersOnly.Refuse(context, logger, refusal);
                return false;
            }

            if (judged)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>
    /// Why the request is refused: a frame larger than the limit, or a whole, well-framed message that does not parse
    /// or, compressed, does not decompress or is too large once decompressed; null when it is fine or not ours to judge.
    /// </summary>
    private Google.Rpc.Status? Refusal(MessageDescriptor requestType, ReadOnlySequence<byte> body, bool complete, string encoding)
    {
        Span<byte> header = stackalloc byte[FrameHeaderLength];
        if (body.Length < FrameHeaderLength)
        {
            return null;
        }

        body.Slice(0, FrameHeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > _maxMessageBytes)
        {
            return ErrorStatus.MessageTooLarge(length, _maxMessageBytes);
        }

        if (!complete || header[0] > 1 || length != body.Length - FrameHeaderLength)
        {
            return null;
        }

        var message = body.Slice(FrameHeaderLength);
        if (header[0] == 1)
        {
            if (!_decompressors.TryGetValue(encoding, out var decompressor))
            {
                return null;
            }

            try
            {
                if (Decompress(decompressor, message) is not { } decompressed)
                {
                    return ErrorStatus.MessageTooLarge(null, _maxMessageBytes);
                }

                message = new ReadOnlySequence<byte>(decompressed);
            }
            catch (InvalidDataException e)
            {
                return ErrorStatus.MalformedMessage($"its {encoding}-compressed bytes do not decompress: {e.Message}", requestType);
            }
        }

        try
        {
            requestType.Parser.ParseFrom(message);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return ErrorStatus.MalformedMessage(e.Message, requestType);
        }
    }

    /// <summary>
    /// <see cref="Refusal"/> of a base64 body, decoded aside. Until the body is whole only the frame header is decoded
    /// (its first 8 characters), so a body that arrives in many reads is decoded once. A body that is not one base64
    /// block is left to grpc-dotnet.
    /// </summary>
    private Google.Rpc.Status? TextRefusal(MessageDescriptor requestType, ReadOnlySequence<byte> text, bool complete, string encoding)
    {
        const int HeaderCharacters = 8;
        if (!complete && text.Length < HeaderCharacters)
        {
            return null;
        }

        var decoded = (complete ? text : text.Slice(0, HeaderCharacters)).ToArray();
        return Base64.DecodeFromUtf8InPlace(decoded, out var length) == OperationStatus.Done
            ? Refusal(requestType, new ReadOnlySequence<byte>(decoded, 0, length), complete, encoding)
            : null;
    }

    /// <summary>The decompressed message; null when it is larger than the limit (reading stops there).</summary>
    private ReadOnlyMemory<byte>? Decompress(ICompressionProvider decompressor, ReadOnlySequence<byte> compressed)
    {
        using var source = decompressor.CreateDecompressionStream(new MemoryStream(compressed.ToArray(), writable: false));
        using var decompressed = new MemoryStream();
        var chunk = new byte[16 * 1024];
        for (int read; (read = source.Read(chunk)) > 0;)
        {
            decompressed.Write(chunk, 0, read);
            if (decompressed.Length > _maxMessageBytes)
            {
                return null;
            }
        }

        return decompressed.GetBuffer().AsMemory(0, (int)decompressed.Length);
    }
}
