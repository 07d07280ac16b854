using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;

namespace NpsGrpc.Dashboard.Tests.Support;

/// <summary>
/// A product as a live one looks after a month: responses on each of the last 30 days, a score that improves, regions
/// that differ, plans, and comments. Drawn from a fixed seed, so every run shows the same shapes.
/// </summary>
internal static class SampleProduct
{
    private static readonly string[] DetractorComments =
    [
        "Checkout is slow and the app froze twice",
        "Support never answered my ticket",
        "Too expensive for what it does",
        "The app crashes when I upload photos",
        "Sync is slow and I lost my notes",
        "Login fails every other day",
        "Slow checkout, gave up on my order",
    ];

    private static readonly string[] PromoterComments =
    [
        "Great support, fast answers",
        "Love the clean design",
        "Sync is fast and reliable",
        "Easy to use and great value",
        "Support fixed my issue in minutes",
    ];

    private static readonly (string Region, double Share, double Lift)[] Regions = [("eu", 0.45, -0.06), ("us", 0.40, 0.05), ("asia", 0.15, 0.0)];

    public static IEnumerable<SurveyResponse> Answers(string product, DateTime today)
    {
        var random = new Random(20261207);
        var respondent = 0;
        for (var daysAgo = 29; daysAgo >= 0; daysAgo--)
        {
            var day = today.AddDays(-daysAgo);
            // Today's answers were given before now (the server refuses answers from the future): spread over the day so far.
            var latestMinute = daysAgo == 0 ? (int)(DateTime.UtcNow - day).TotalMinutes : 24 * 60 - 1;
            // From about 42 % promoters and 26 % detractors a month ago to 50 % and 20 % today.
            var progress = (29 - daysAgo) / 29.0;
            for (var i = 0; i < 60 + random.Next(40); i++)
            {
                var region = Pick(random);
                var promoter = 0.42 + 0.08 * progress + region.Lift;
                var detractor = 0.26 - 0.06 * progress - region.Lift / 2;
                var roll = random.NextDouble();
                var score = roll < detractor ? random.Next(7) : roll < 1 - promoter ? 7 + random.Next(2) : 9 + random.Next(2);
                var response = Responses.Answer(product, score, ("region", region.Region), ("plan", random.NextDouble() < 0.3 ? "pro" : "free"))
                    .On(day.AddMinutes(random.Next(24 * 60) * (latestMinute + 1) / (24 * 60)));
                var comments = score <= 6 ? DetractorComments : score >= 9 ? PromoterComments : null;
                if (comments is not null && random.NextDouble() < 0.35)
                {
                    response.By($"customer-{++respondent}").Saying(comments[random.Next(comments.Length)]);
                }

                yield return response;
            }
        }
    }

    private static (string Region, double Share, double Lift) Pick(Random random)
    {
        var roll = random.NextDouble();
        foreach (var region in Regions)
        {
            if ((roll -= region.Share) < 0)
            {
                return region;
            }
        }

        return Regions[^1];
    }
}
