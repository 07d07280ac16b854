using Grpc.AspNetCore.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;
using NpsGrpc.Redis;
using NpsGrpc.Server.Dashboard;
using NpsGrpc.Server.FollowUps;
using NpsGrpc.Server.Ingestion;
using NpsGrpc.Server.Services;
using NpsGrpc.Server.Health;
using NpsGrpc.Core.Security;
using NpsGrpc.Server.Security;

namespace NpsGrpc.Server.Extensions;

public static class ServerSetupExtensions
{
    /// <summary>Registers everything the server needs: gRPC and gRPC-Web, the store, health and reflection.</summary>
    public static WebApplicationBuilder AddNpsServer(this WebApplicationBuilder builder)
    {
        // appsettings.json would outrank ASPNETCORE_URLS, so the default address is applied in code, last.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ServerOptions.DefaultUrl);
        }

        builder.AddNpsWeb();

        if (!CommentText.CanNormalize)
        {
            throw new InvalidOperationException(
                "This process cannot NFC-normalise text (globalization-invariant mode, or no ICU library): comments would be stored unnormalised.");
        }

        var services = builder.Services;
        services.AddOptions<IngestionOptions>()
            .Bind(builder.Configuration.GetSection(IngestionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(provider => new DayRetention(provider.GetRequiredService<IOptions<RetentionOptions>>().Value.DayBuckets));
        services.AddOptions<CommentsOptions>()
            .Bind(builder.Configuration.GetSection(CommentsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RecordsOptions>()
            .Bind(builder.Configuration.GetSection(RecordsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var records = provider.GetRequiredService<IOptions<RecordsOptions>>().Value;
            var retention = provider.GetRequiredService<IOptions<RetentionOptions>>().Value;
            return new RecordRules(records.Categories(), retention.RecordsKept, records.MaxPerProduct, records.TermsPerMonth) { TermRetention = retention.TermsKept };
        });
        services.AddSingleton<FoldContexts>();
        services.AddSingleton(provider => new IngestionCommitter(
            provider.GetRequiredService<IScoreStore>(),
            new CommitBounds { MaxFlushesInFlight = provider.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxFlushesInFlight },
            provider.GetRequiredService<NpsMetrics>()));
        services.AddSingleton<BatchIngestion>();
        services.AddSingleton<SubmissionPipeline>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.SectionName));

        services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var limits = builder.Configuration.GetSection(LimitsOptions.SectionName).Get<LimitsOptions>() ?? new LimitsOptions();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection);

        // Both hold no state of a call: one instance serves every call, where grpc-dotnet would otherwise build a
        // service and an interceptor per call (measured under h2load on GetScore: about 7 % less server CPU per call).
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddSingleton<NpsService>();
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorMappingInterceptor>();
            // Larger messages end the call with RESOURCE_EXHAUSTED before they are buffered.
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
        });
        services.AddNpsAuthentication(builder.Configuration);
        services.AddNpsDashboard(builder.Configuration);
        services.AddNpsReflection();
        services.AddRedisScoreStore(builder.Configuration);
        services.AddSingleton<RecordsRpc>();
        services.AddCommentAnalysis();
        services.AddKeyTerms();
        services.AddSingleton<FollowUpPump>();
        services.AddSingleton<FollowUpRpc>();
        services.AddScoreWatching();
        services.AddHostedService<StoreConnectionWarmup>();
        builder.AddNpsTelemetry();

        services.AddGrpcHealthChecks(options =>
            {
                // The empty name is the whole server; the service name lets clients probe the API itself.
                options.Services.Map(string.Empty, _ => true);
                options.Services.Map(NpsGrpc.V1.NpsService.Descriptor.FullName, _ => true);
            })
            .AddCheck<ScoreStoreHealthCheck>("redis");
        return builder;
    }

    /// <summary>Checks every setting validated at startup, then maps the gRPC endpoints.</summary>
    public static WebApplication MapNpsEndpoints(this WebApplication app)
    {
        // Every ValidateOnStart check runs now, before anything is mapped or listened on, so that a refused setting
        // reaches the caller as itself rather than inside the host's start-up failure, logged with its stack.
        app.Services.GetService<IStartupValidator>()?.Validate();
        // A CORS preflight and the dashboard's files are answered before telemetry, which counts calls only.
        app.UseNpsCors();
        app.UseNpsDashboard();
        app.UseNpsTelemetry();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<UnaryRequestParsingMiddleware>();
        app.UseNpsGrpcWeb();
        if (app.Services.GetRequiredService<ApiKeyRing>().IsEmpty)
        {
            ServerLog.RunningWithoutApiKeys(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerSetupExtensions)));
        }

        // Health stays open to load balancers and orchestrators; the NpsService RPCs name their scope.
        app.MapGrpcService<NpsService>();
        app.MapGrpcHealthChecksService();
        if (app.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>()?.EnableReflection ?? true)
        {
            app.MapGrpcReflectionService();
        }

        return app;
    }
}
