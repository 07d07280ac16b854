using Microsoft.AspNetCore.Authorization;
using NpsGrpc.Core.Security;

namespace NpsGrpc.Server.Security;

/// <summary>A call needs its RPC's scope (<c>submit</c>, <c>read</c>, <c>follow_up</c> or <c>erase</c>), unless no API keys are configured at all.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>Checks <see cref="ScopeRequirement"/> and remembers which scope was missing, for the PERMISSION_DENIED message.</summary>
public sealed class ScopeRequirementHandler(ApiKeyRing ring) : AuthorizationHandler<ScopeRequirement>
{
    public const string MissingScopeItem = "nps.missing-scope";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (ring.IsEmpty || context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext call)
        {
            call.Items[MissingScopeItem] = requirement.Scope;
        }

        return Task.CompletedTask;
    }
}
