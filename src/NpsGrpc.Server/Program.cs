using NpsGrpc.Server.Extensions;

// appsettings.json sits beside the binary: the server reads the same settings whatever directory it starts from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddNpsServer();

var app = builder.Build();
app.MapNpsEndpoints();
app.Run();
