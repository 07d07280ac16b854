using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NpsGrpc.Server;

/// <summary>Bound from the <c>Web</c> section: where browsers reach the server, and which pages may call it.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>The address used when <c>Web:Url</c> is not set.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The browser endpoint: HTTP/1.1 (and HTTP/2 by ALPN when https), serving gRPC-Web and the static files. Browsers
    /// speak HTTP/2 only over TLS and Kestrel serves a cleartext endpoint as either HTTP/1.1 or h2c, never both, so it
    /// is a port of its own beside the gRPC one. Empty: none (a TLS endpoint with <c>Protocols=Http1AndHttp2</c> serves
    /// browsers as well).
    /// </summary>
    public string? Url { get; set; } = DefaultUrl;

    /// <summary>
    /// Origins of the web pages that may call the server through gRPC-Web from another origin (CORS), as
    /// <c>scheme://host[:port]</c>, or <c>*</c> for any; none (the default) sends no CORS headers, so browsers allow
    /// only pages the server serves itself. Null rather than a list, since binding adds items to a list's initial ones.
    /// </summary>
    public List<string>? CorsOrigins { get; set; }

    /// <summary>The browser endpoint's address as Kestrel reads it (<c>*</c> for any host, as in <c>--urls</c>), or null for none.</summary>
    internal BindingAddress? Endpoint => string.IsNullOrWhiteSpace(Url) ? null : BindingAddress.Parse(Url.Trim());
}

/// <summary>Refuses an endpoint or an origin the server could not use, naming its setting.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Url) && ExplainUrl(options.Url.Trim()) is { } problem)
        {
            failures.Add($"{WebOptions.SectionName}:{nameof(WebOptions.Url)}: {problem}; empty opens no browser endpoint.");
        }

        var origins = options.CorsOrigins ?? [];
        for (var i = 0; i < origins.Count; i++)
        {
            var origin = origins[i];
            var setting = $"{WebOptions.SectionName}:{nameof(WebOptions.CorsOrigins)}:{i}";
            if (origin == "*")
            {
                if (origins.Count > 1)
                {
                    failures.Add($"{setting}: '*' allows every origin, so it is the only entry or absent.");
                }
            }
            else if (ExplainOrigin(origin) is { } originProblem)
            {
                failures.Add($"{setting}: {originProblem}, as a browser sends it in its Origin header.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What Kestrel would refuse in an endpoint address, as it reads <c>--urls</c>; null when it binds it.</summary>
    private static string? ExplainUrl(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return $"'{url}' is not an address such as http://127.0.0.1:5080";
        }

        return address.Scheme is not ("http" or "https") ? $"'{url}' is not an http:// or https:// address"
            : address.PathBase.Length > 0 ? $"'{url}' has a path; an endpoint is scheme://host:port"
            : null;
    }

    /// <summary>What is wrong with an origin as a browser sends it (<c>https://shop.example</c>); null when nothing.</summary>
    private static string? ExplainOrigin(string origin) =>
        !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ? $"'{origin}' is not an http:// or https:// origin"
        : uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || origin.EndsWith('/') ? $"'{origin}' must be scheme://host[:port], without a path or a trailing '/'"
        : null;
}
