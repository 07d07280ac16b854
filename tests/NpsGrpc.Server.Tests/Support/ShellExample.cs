using System.Diagnostics;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests.Support;

/// <summary>Runs a documented shell example with bash, pointed at a test server instead of the documented address.</summary>
internal static class ShellExample
{
    private const string DocumentedAddress = "http://127.0.0.1:5000";

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string block, Uri server, ITestOutputHelper output, string documentedAddress = DocumentedAddress, string? workingDirectory = null)
    {
        var script = block.Replace(documentedAddress, server.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = Path.GetDirectoryName(RepositoryPaths.Buf()) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"$ {block}\nexit {process.ExitCode}\n{await stdout}{await stderr}");
        return (process.ExitCode, await stdout, await stderr);
    }
}
