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
            .AddPolicy(ApiScopes.Read, policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Read)));
        return services;
    }
}

/// <summary>Refuses to start on a malformed key, instead of failing the first call that presents one.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        foreach (var key in options.ApiKeys)
        {
            try
            {
                ApiKeyRing.Parse(key.Name, key.Sha256, key.Scopes);
            }
            catch (ArgumentException e)
            {
                failures.Add(e.Message);
            }
        }

        failures.AddRange(options.ApiKeys.GroupBy(key => key.Name, StringComparer.Ordinal).Where(group => group.Count() > 1)
            .Select(group => $"Two API keys are named '{group.Key}'; names must be unique."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
