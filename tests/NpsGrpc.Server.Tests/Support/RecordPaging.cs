using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Pages through a product's records as a client does, and checks what a listing must never do.</summary>
internal static class RecordPaging
{
    /// <summary>Every page of a listing, following next_page_token to the end; <paramref name="between"/> runs after each page.</summary>
    public static async Task<IReadOnlyList<ListResponsesResponse>> AllPagesAsync(
        NpsService.NpsServiceClient client, ListResponsesRequest request, Func<Task>? between = null)
    {
        var pages = new List<ListResponsesResponse>();
        do
        {
            // A page that never comes fails the test naming the call, well before the suite's hang timeout.
            pages.Add(await client.ListResponsesAsync(request, deadline: DateTime.UtcNow.AddMinutes(1)));
            request = request.Clone();
            request.PageToken = pages[^1].NextPageToken;
            if (between is not null)
            {
                await between();
            }
        }
        while (request.PageToken.Length > 0);
        return pages;
    }

    /// <summary>
    /// The records seen hold every one of <paramref name="existing"/> (those there before paging began) and no record
    /// twice, newest first: by answered_at, then by descending id.
    /// </summary>
    public static void AssertEachExistingOnceNewestFirst(IReadOnlyList<ResponseRecord> seen, IReadOnlyCollection<string> existing)
    {
        Assert.Equal(seen.Count, seen.Select(record => record.RecordId).Distinct().Count());
        Assert.Equal(existing.Order(), seen.Select(record => record.RecordId).Where(existing.Contains).Order());
        var order = seen.Select(record => (record.AnsweredAt.ToDateTimeOffset(), long.Parse(record.RecordId, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(order.OrderByDescending(key => key), order);
    }
}
