using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NpsGrpc.Client.Tests;

/// <summary>
/// The FollowUpWorker example run as a process, as the README runs it; its output is read line by line while it
/// runs, so a test can act (drop its connection) at a point of its progress.
/// </summary>
internal sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerProcess(params string[] args)
        : this(null, args)
    {
    }

    /// <summary>Runs the worker with <paramref name="apiKey"/> as its NPS_API_KEY (none when null).</summary>
    public WorkerProcess(string? apiKey, params string[] args)
    {
        // Built with the solution, in the configuration of these tests (bin/<configuration>/<framework>/).
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var dll = Path.Combine(ReadmeTests.SdkDirectory, "FollowUpWorker", "bin", output.Parent!.Name, output.Name, "FollowUpWorker.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Only what the test gives: a key or CA file from the developer's environment must not change the run.
        start.Environment.Remove("NPS_SERVER_CA");
        start.Environment.Remove("NPS_API_KEY");
        if (apiKey is not null)
        {
            start.Environment["NPS_API_KEY"] = apiKey;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data is null ? null : "stderr: " + e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Output => string.Join("\n", Lines);

    /// <summary>The records the worker says it acknowledged ("acknowledged product/record as CONTACTED"), in order.</summary>
    public IReadOnlyList<string> Acknowledged => [.. Lines.Select(l => AcknowledgedLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    /// <summary>Waits for the worker to exit by itself; kills it and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            _process.Kill();
            Assert.Fail($"the worker did not stop within {timeout}; it printed:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    [GeneratedRegex(@"^acknowledged (\S+) as CONTACTED$")]
    private static partial Regex AcknowledgedLine();
}
