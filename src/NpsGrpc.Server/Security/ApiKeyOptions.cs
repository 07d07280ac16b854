namespace NpsGrpc.Server.Security;

/// <summary>
/// Bound from the <c>Authentication</c> section, e.g. <c>Authentication__ApiKeys__0__Name=ingest</c>,
/// <c>Authentication__ApiKeys__0__Sha256=sha256:…</c>, <c>Authentication__ApiKeys__0__Scopes__0=submit</c>.
/// With no keys the server does not authenticate (and says so at startup).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Authentication";

    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];
}

/// <summary>One key as configured: never the key itself, only its SHA-256 as <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
public sealed class ConfiguredApiKey
{
    public string? Name { get; set; }

    public string? Sha256 { get; set; }

    public List<string> Scopes { get; set; } = [];
}
