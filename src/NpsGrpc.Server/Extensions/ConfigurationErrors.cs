using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NpsGrpc.Server.Extensions;

/// <summary>
/// Runs the server and reports a configuration it refuses as one line per mistake on standard error, naming the
/// setting, and exit code 78 (EX_CONFIG of sysexits.h), instead of an exception and its stack trace: what the
/// operator needs is the setting to fix, not the server's call stack. Any other failure is rethrown unchanged.
/// </summary>
internal static partial class ConfigurationErrors
{
    public const int ExitCode = 78;

    public static int Run(Action server, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            server();
            return 0;
        }
        catch (Exception e)
        {
            var lines = Describe(e);
            if (lines.Count == 0)
            {
                throw;
            }

            foreach (var line in lines)
            {
                error.WriteLine("Configuration error: " + line);
            }

            return ExitCode;
        }
    }

    /// <summary>One line per configuration mistake <paramref name="failure"/> reports; none when it is not about configuration.</summary>
    internal static IReadOnlyList<string> Describe(Exception failure) => failure switch
    {
        OptionsValidationException invalid => [.. invalid.Failures.Select(line => Named(invalid.OptionsType, line))],
        // Several sections failing at once.
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) => [.. inner.SelectMany(Describe)],
        // A value the binder cannot convert ("Failed to convert configuration value at 'Limits:…' to type 'System.Int32'").
        InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } binding => [binding.Message],
        _ => [],
    };

    /// <summary>
    /// DataAnnotations names the class and property; the operator writes <c>Section:Property</c>, so that is
    /// what the line starts with. Other validators (the API keys') already name the setting.
    /// </summary>
    private static string Named(Type options, string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var section = options.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string ?? options.Name;
        var setting = $"{section}:{match.Groups["member"].Value}";
        var error = match.Groups["error"].Value;
        return error.StartsWith(setting, StringComparison.Ordinal) ? error : $"{setting}: {error}";
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^',]+)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
