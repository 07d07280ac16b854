using Google.Protobuf.WellKnownTypes;
using NpsGrpc.V1;

namespace NpsGrpc.Client.Tests;

/// <summary>The README's comment example: a response with a comment, then this month's detractors through ListResponses.</summary>
public sealed class RecordsTests
{
    [Fact(Timeout = 30_000)]
    public async Task The_readme_comment_example_lists_this_months_detractor_with_what_they_wrote()
    {
        var client = LiveServer.Client;
        var productId = $"csharp-comments-{Guid.NewGuid():N}";
        var detractors = new List<ResponseRecord>();
        // README: comments
        await using (var writer = new NpsWriter(client))
        {
            await writer.AddAsync(new SurveyResponse
            {
                ProductId = productId, Score = 3, Segments = { ["region"] = "eu" }, RespondentId = "customer-42",
                Comment = "Checkout is slow", LanguageCode = "en",
            });
        }   // disposing flushes: the response is counted, and recorded with its comment

        var now = DateTime.UtcNow;
        var request = new ListResponsesRequest
        {
            ProductId = productId,
            StartTime = Timestamp.FromDateTime(new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc)),
            Categories = { ScoreCategory.Detractor },
        };
        do  // newest first, page by page
        {
            var page = await client.ListResponsesAsync(request);
            detractors.AddRange(page.Records);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        // README: end

        var record = Assert.Single(detractors);
        Assert.Equal(("customer-42", 3, "Checkout is slow", "en", "eu", RecordState.Counted),
            (record.RespondentId, record.Score, record.Comment, record.LanguageCode, record.Segments["region"], record.State));
    }
}
