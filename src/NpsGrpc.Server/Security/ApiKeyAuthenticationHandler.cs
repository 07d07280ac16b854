using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Security;
using NpsGrpc.Server.Services;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Security;

/// <summary>
/// Authenticates a call by its API key, sent as <c>authorization: Bearer KEY</c> or <c>x-api-key: KEY</c>, and
/// answers refusals the gRPC way (a trailers-only response with grpc-status), so every client sees
/// UNAUTHENTICATED or PERMISSION_DENIED with a message instead of a bare HTTP 401/403. The key is never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRing ring) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "scope";

    // Without keys every call gets the same answer; AuthenticateResult cannot be changed once made.
    private static readonly Task<AuthenticateResult> NoKeys = Task.FromResult(AuthenticateResult.NoResult());

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ring.IsEmpty)
        {
            return NoKeys;
        }

        var presented = PresentedKey();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(new Refusal(
                ErrorReason.ApiKeyMissing, "This call needs an API key: send it as 'authorization: Bearer <key>' or 'x-api-key: <key>'.")));
        }

        if (ring.Find(presented) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail(new Refusal(ErrorReason.ApiKeyInvalid, "The API key is not valid.")));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), .. key.Scopes.Select(scope => new Claim(ScopeClaim, scope))],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        WriteGrpcStatus(
            Grpc.Core.StatusCode.Unauthenticated,
            result.Failure is Refusal refusal ? refusal.Reason : ErrorReason.ApiKeyMissing,
            result.Failure?.Message ?? "This call needs an API key.",
            []);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var name = Context.User.Identity?.Name ?? "?";
        var scope = Context.Items.TryGetValue(ScopeRequirementHandler.MissingScopeItem, out var missing) ? missing as string : null;
        WriteGrpcStatus(
            Grpc.Core.StatusCode.PermissionDenied,
            ErrorReason.ApiKeyScopeMissing,
            $"The API key '{name}' may not call {Request.Path}: it lacks the '{scope ?? "another"}' scope.",
            scope is null ? [("apiKey", name)] : [("apiKey", name), ("requiredScope", scope)]);
        return Task.CompletedTask;
    }

    private string? PresentedKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var apiKey = Request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private void WriteGrpcStatus(Grpc.Core.StatusCode code, ErrorReason reason, string message, IEnumerable<(string Key, string Value)> metadata) =>
        GrpcTrailersOnly.Refuse(Context, Logger, ErrorStatus.Create(code, reason, message, metadata));

    /// <summary>Why authentication failed, so the challenge can say it with the matching ErrorInfo reason.</summary>
    private sealed class Refusal(ErrorReason reason, string message) : Exception(message)
    {
        public ErrorReason Reason { get; } = reason;
    }
}
