using System.Diagnostics;
using System.Text.RegularExpressions;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Runs a documented shell example with bash, pointed at a test server instead of the documented address.</summary>
internal static partial class ShellExample
{
    /// <summary>How the documents start the server from the repository root.</summary>
    public const string DocumentedServer = "dotnet run -c Release --project src/NpsGrpc.Server";

    private const string DocumentedAddress = "http://127.0.0.1:5000";

    /// <summary>
    /// Runs <paramref name="block"/> with bash, the documented address replaced by <paramref name="server"/>'s;
    /// <paramref name="environment"/> adds to (or replaces, e.g. <c>HOME</c>) the test's environment.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string block,
        Uri server,
        ITestOutputHelper output,
        string documentedAddress = DocumentedAddress,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = block.Replace(documentedAddress, server.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = Path.GetDirectoryName(RepositoryPaths.Buf()) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"$ {block}\nexit {process.ExitCode}\n{await stdout}{await stderr}");
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The settings a documented block gives the server it starts with <see cref="DocumentedServer"/>: the block
    /// runs in bash as written, <c>env</c> taking the server's place, so every expansion (<c>$HOME</c>, variables)
    /// is bash's own. The variables the block sets come back as configuration keys (<c>Section:Key</c>).
    /// </summary>
    public static async Task<Dictionary<string, string?>> ServerSettingsAsync(
        string block, ITestOutputHelper output, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.Contains(DocumentedServer, block, StringComparison.Ordinal);
        var (exitCode, stdout, _) = await RunAsync(block.Replace(DocumentedServer, "env", StringComparison.Ordinal), new Uri("http://unused"), output, environment: environment);
        Assert.Equal(0, exitCode);

        var documented = Assignment().Matches(block).Select(match => match.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(documented);
        var settings = stdout.Split('\n')
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2 && documented.Contains(pair[0]))
            .ToDictionary(pair => pair[0].Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair[1], StringComparer.Ordinal);
        Assert.Equal(documented.Count, settings.Count);
        return settings;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9]*(__[A-Za-z0-9]+)+)=", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
