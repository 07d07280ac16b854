using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using NpsGrpc.V1;

namespace NpsGrpc.Bench.Load;

/// <summary>
/// A SubmitResponsesRequest whose responses were serialized once: protobuf lets a message be written as the
/// concatenation of its fields, so each request writes only writer_id and sequence in front of shared bytes.
/// </summary>
internal sealed record PrebuiltBatch(byte[] WriterField, long Sequence, EncodedResponses Responses)
{
    public static readonly Method<PrebuiltBatch, SubmitResponsesResponse> SubmitMethod = new(
        MethodType.DuplexStreaming,
        "nps.v1.NpsService",
        "SubmitResponses",
        Marshallers.Create<PrebuiltBatch>(Serialize, _ => throw new NotSupportedException("The client only sends batches.")),
        Marshallers.Create(
            (SubmitResponsesResponse ack, SerializationContext context) => context.Complete(ack.ToByteArray()),
            context => SubmitResponsesResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    /// <summary>Field 1 (writer_id) as it goes on the wire.</summary>
    public static byte[] EncodeWriter(string writerId) => new SubmitResponsesRequest { WriterId = writerId }.ToByteArray();

    private static void Serialize(PrebuiltBatch batch, SerializationContext context)
    {
        var sequenceLength = 1 + CodedOutputStream.ComputeInt64Size(batch.Sequence);
        var length = batch.WriterField.Length + sequenceLength + batch.Responses.Bytes.Length;
        context.SetPayloadLength(length);
        var writer = context.GetBufferWriter();
        var span = writer.GetSpan(length);
        batch.WriterField.CopyTo(span);
        var position = batch.WriterField.Length;
        span[position++] = 0x10; // field 2 (sequence), varint
        var value = (ulong)batch.Sequence;
        while (value >= 0x80)
        {
            span[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[position++] = (byte)value;
        batch.Responses.Bytes.CopyTo(span[position..]);
        writer.Advance(length);
        context.Complete();
    }
}

/// <summary>The responses of one batch: their field-3 bytes and the messages themselves (for the SQL baseline).</summary>
internal sealed class EncodedResponses
{
    public EncodedResponses(IReadOnlyList<SurveyResponse> responses)
    {
        Responses = responses;
        var request = new SubmitResponsesRequest();
        request.Responses.Add(responses);
        Bytes = request.ToByteArray();
    }

    public IReadOnlyList<SurveyResponse> Responses { get; }

    public byte[] Bytes { get; }

    public int Count => Responses.Count;
}
