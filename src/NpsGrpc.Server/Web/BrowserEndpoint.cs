using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NpsGrpc.Server.Web;

/// <summary>The browser endpoint (<c>Web:Url</c>): the Kestrel endpoint it is, and its address once bound.</summary>
public sealed class BrowserEndpoint
{
    /// <summary>Its name under <c>Kestrel:Endpoints</c>, where a certificate for an https <c>Web:Url</c> goes too.</summary>
    public const string KestrelName = "Web";

    private readonly BindingAddress? _configured;
    private ListenOptions? _listening;

    internal BrowserEndpoint(BindingAddress? configured) => _configured = configured;

    /// <summary>
    /// Where browsers call the server: <c>Web:Url</c> with the port Kestrel bound (the one asked for, or the one it chose
    /// for port 0); null when there is no browser endpoint, or before the server has started.
    /// </summary>
    public Uri? Address
    {
        get
        {
            if (_configured is null || _listening?.IPEndPoint is not { Port: > 0 } bound)
            {
                return null;
            }

            var host = _configured.Host is "*" or "+" ? bound.Address.ToString() : _configured.Host;
            return new UriBuilder(_configured.Scheme, host, _configured.Port > 0 ? _configured.Port : bound.Port).Uri;
        }
    }

    internal void Listening(ListenOptions options) => _listening = options;
}
