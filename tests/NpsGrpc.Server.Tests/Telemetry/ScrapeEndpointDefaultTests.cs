using System.Net;
using NpsGrpc.Server.Tests.Support;

namespace NpsGrpc.Server.Tests.Telemetry;

/// <summary>The shared server runs on the defaults: no scrape endpoint, nothing collected or sent.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class ScrapeEndpointDefaultTests(ScoringServerFixture fixture)
{
    [Fact]
    public async Task Without_the_option_there_is_no_scrape_endpoint()
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync(new Uri(fixture.Server.Address, "/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Without_an_exporter_the_server_builds_no_telemetry_pipeline()
    {
        Assert.Null(fixture.Server.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
        Assert.Null(fixture.Server.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
    }
}
