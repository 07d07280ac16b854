using Google.Protobuf.WellKnownTypes;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Tests.Support;

internal static class Time
{
    public static Timestamp At(string iso) => Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    public static Timestamp Day(DateOnly day) => Timestamp.FromDateTimeOffset(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static SurveyResponse AnsweredAt(this SurveyResponse response, string iso)
    {
        response.AnsweredAt = At(iso);
        return response;
    }

    public static SurveyResponse AnsweredAt(this SurveyResponse response, DateTimeOffset answeredAt)
    {
        response.AnsweredAt = Timestamp.FromDateTimeOffset(answeredAt);
        return response;
    }

    public static SurveyResponse AnsweredOn(this SurveyResponse response, DateOnly day, int hour = 12)
    {
        response.AnsweredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero));
        return response;
    }
}
