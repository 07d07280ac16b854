using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Builders of requests, so tests read as the scenario they check.</summary>
internal static class Responses
{
    /// <summary>A product id no other test uses.</summary>
    public static string UniqueProduct(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 33, 128)];

    public static SurveyResponse Answer(string product, int score, params (string Key, string Value)[] segments)
    {
        var response = new SurveyResponse { ProductId = product, Score = score };
        foreach (var (key, value) in segments)
        {
            response.Segments[key] = value;
        }

        return response;
    }

    public static SurveyResponse By(this SurveyResponse response, string respondentId)
    {
        response.RespondentId = respondentId;
        return response;
    }

    public static SurveyResponse Saying(this SurveyResponse response, string comment, string languageCode = "")
    {
        response.Comment = comment;
        response.LanguageCode = languageCode;
        return response;
    }

    /// <summary>Promoters answer 10, passives 8, detractors 3, in that order.</summary>
    public static IEnumerable<SurveyResponse> Mix(string product, int promoters, int passives, int detractors) =>
        Enumerable.Repeat(10, promoters).Concat(Enumerable.Repeat(8, passives)).Concat(Enumerable.Repeat(3, detractors))
            .Select(score => Answer(product, score));

    public static SubmitResponsesRequest Batch(IEnumerable<SurveyResponse> responses, string writerId = "", long sequence = 0) =>
        new() { WriterId = writerId, Sequence = sequence, Responses = { responses } };
}
