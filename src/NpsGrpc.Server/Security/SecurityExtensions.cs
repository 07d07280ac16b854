using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NpsGrpc.Core.Security;

namespace NpsGrpc.Server.Security;

public static class SecurityExtensions
{
    /// <summary>API keys from the <c>Authentication</c> section and one authorization policy per scope.</summary>
    public static IServiceCollection AddNpsAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton(provider => new ApiKeyRing(
            provider.GetRequiredService<IOptions<ApiKeyOptions>>().Value.ApiKeys.Select(key => ApiKeyRing.Parse(key.Name, key.Sha256, key.Scopes))));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiScopes.Submit, policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Submit)))
            .AddPolicy(ApiScopes.Read, policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Read)))
            .AddPolicy(ApiScopes.FollowUp, policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.FollowUp)))
            .AddPolicy(ApiScopes.Erase, policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Erase)));
        return services;
    }
}

/// <summary>
/// Refuses to start on a malformed key, instead of failing the first call that presents one. Each failure names
/// its setting (<c>Authentication:ApiKeys:1:Sha256</c>), the way an operator finds it in configuration.
/// </summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        var firstWithName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (ApiKeyRing.Read(key.Name, key.Sha256, key.Scopes).Problem is { } problem)
            {
                failures.Add($"{Entry(i)}:{problem.Setting}: {problem.Reason}");
            }

            if (key.Name is { } keyName && !firstWithName.TryAdd(keyName, i))
            {
                failures.Add($"{Entry(i)}:Name: '{keyName}' is already the name of {Entry(firstWithName[keyName])}; names must be unique.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Entry(int index) => $"{ApiKeyOptions.SectionName}:{nameof(ApiKeyOptions.ApiKeys)}:{index}";
}
