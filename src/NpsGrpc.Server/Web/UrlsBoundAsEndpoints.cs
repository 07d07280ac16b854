using Microsoft.AspNetCore.Hosting.Server.Features;

namespace NpsGrpc.Server.Web;

/// <summary>
/// The urls (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, the default) are bound as Kestrel endpoints beside the browser's,
/// so the host's copy of them must not reach Kestrel too: it would drop them in favour of its endpoints and warn that
/// it did, on every start. The host hands them over after the startup filters run, before Kestrel binds.
/// </summary>
internal sealed class UrlsBoundAsEndpoints : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses.Clear();
        next(app);
    };
}
