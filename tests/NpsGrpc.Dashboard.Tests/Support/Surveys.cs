using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;

namespace NpsGrpc.Dashboard.Tests.Support;

/// <summary>Survey responses for the page to show (built with <see cref="Responses"/>), submitted as any writer would.</summary>
internal static class Surveys
{
    /// <summary>The same responses, each also under the segment labels given.</summary>
    public static IEnumerable<SurveyResponse> In(this IEnumerable<SurveyResponse> responses, params (string Key, string Value)[] segments) =>
        responses.Select(response =>
        {
            foreach (var (key, value) in segments)
            {
                response.Segments[key] = value;
            }

            return response;
        });

    public static SurveyResponse On(this SurveyResponse response, DateTime day)
    {
        response.AnsweredAt = Timestamp.FromDateTime(DateTime.SpecifyKind(day, DateTimeKind.Utc));
        return response;
    }

    /// <summary>
    /// Submits <paramref name="responses"/> in batches of 1000 on one SubmitResponses stream, each batch acknowledged
    /// before the next is sent, and checks that every response was counted.
    /// </summary>
    public static async Task SubmitAsync(NpsService.NpsServiceClient client, IEnumerable<SurveyResponse> responses, Metadata? headers = null)
    {
        using var call = client.SubmitResponses(headers);
        var writer = "dashboard-tests-" + Guid.NewGuid().ToString("N");
        var sequence = 0L;
        foreach (var chunk in responses.Chunk(1000))
        {
            var request = new SubmitResponsesRequest { WriterId = writer, Sequence = ++sequence };
            request.Responses.AddRange(chunk);
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), "The stream ended without an acknowledgement.");
            var ack = call.ResponseStream.Current;
            Assert.True(ack.AcceptedCount == chunk.Length && ack.Rejected.Count == 0, $"Batch {sequence} was not counted whole: {ack}");
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None), "The server sent an unexpected acknowledgement.");
    }
}
