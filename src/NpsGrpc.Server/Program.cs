using NpsGrpc.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddNpsServer();

var app = builder.Build();
app.MapNpsEndpoints();
app.Run();
