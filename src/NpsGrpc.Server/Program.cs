using NpsGrpc.Server.Extensions;
using NpsGrpc.Server.Security;

if (NewApiKeyCommand.IsRequested(args))
{
    return NewApiKeyCommand.Run(args, Console.Out, Console.Error);
}

return ConfigurationErrors.Run(() =>
{
    // appsettings.json sits beside the binary: the server reads the same settings whatever directory it starts from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddNpsServer();

    var app = builder.Build();
    app.MapNpsEndpoints();
    app.Run();
}, Console.Error);
