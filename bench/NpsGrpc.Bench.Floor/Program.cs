using Microsoft.AspNetCore.Server.Kestrel.Core;
using NpsGrpc.Bench.Floor;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
    ConnectionMultiplexer.Connect(builder.Configuration["Redis"] ?? throw new InvalidOperationException("--Redis <configuration> is required.")));
builder.Services.AddGrpc();

var app = builder.Build();
app.MapGrpcService<BareScoreService>();
app.Run();
