using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Xunit.Abstractions;

namespace NpsGrpc.Testing;

/// <summary>
/// The real server as its own OS process (<c>dotnet NpsGrpc.Server.dll</c>), on a free loopback port, so a test can
/// SIGKILL it mid-stream and watch its memory from <c>/proc</c>. Several can run side by side on one Redis.
/// </summary>
public sealed class ServerProcess : ServerEndpoint, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ITestOutputHelper? _output;
    private readonly Queue<string> _lastLines = new();
    private readonly int _keptLines;

    private ServerProcess(Process process, Uri address, ITestOutputHelper? output, int keptLines)
        : base(address)
    {
        _process = process;
        _output = output;
        _keptLines = keptLines;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the server on <paramref name="redisConfiguration"/> and returns once its gRPC health check answers
    /// SERVING. <paramref name="settings"/> override appsettings.json (keys as <c>Section:Key</c>); the server's
    /// log lines go to <paramref name="output"/> (Warning and above unless a setting says otherwise).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string redisConfiguration, IReadOnlyDictionary<string, string?>? settings = null, ITestOutputHelper? output = null)
    {
        // A port found free may be taken before the server binds it: try again on another one.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(redisConfiguration, settings, output, keptLines: 40);
            try
            {
                await server.WaitUntilServingAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.HasExited)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Starts the server expecting it to stop by itself, as it does on a configuration it refuses, and returns its
    /// exit code with every line it printed (standard output and error); a server still running after
    /// <paramref name="timeout"/> is killed and reported as a <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Output)> RunUntilExitAsync(
        string redisConfiguration, IReadOnlyDictionary<string, string?>? settings, TimeSpan timeout, ITestOutputHelper? output = null)
    {
        await using var server = Launch(redisConfiguration, settings, output, keptLines: int.MaxValue);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await server._process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server on {server.Address} was still running after {timeout.TotalSeconds} s:\n{server.LastLines()}");
        }

        // Without a timeout, WaitForExit also waits for the last redirected lines to be read.
        server._process.WaitForExit();
        lock (server._lastLines)
        {
            return (server._process.ExitCode, [.. server._lastLines]);
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or the OOM killer would: nothing is finished or flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>The process's resident memory now and at its peak, from /proc/&lt;pid&gt;/status (Linux).</summary>
    public ProcessMemory Memory()
    {
        long Field(string[] lines, string name)
        {
            var line = lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"/proc/{ProcessId}/status has no {name} line.");
            var kilobytes = line[(name.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }

        var status = File.ReadAllLines($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status");
        return new ProcessMemory(Field(status, "VmRSS"), Field(status, "VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>
    /// The server's build output: beside the test assembly when the build copied it there (a test project that
    /// references the server gets its dll, runtimeconfig.json and appsettings.json), else the server project's own bin folder.
    /// </summary>
    public static string ServerAssembly()
    {
        const string Name = "NpsGrpc.Server";
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string[] directories =
        [
            AppContext.BaseDirectory,
            Path.Combine(RepositoryPaths.Root, "src", Name, "bin", configuration, "net10.0"),
        ];
        var directory = directories.FirstOrDefault(d =>
                File.Exists(Path.Combine(d, Name + ".dll"))
                && File.Exists(Path.Combine(d, Name + ".runtimeconfig.json"))
                && File.Exists(Path.Combine(d, "appsettings.json")))
            ?? throw new InvalidOperationException($"{Name}.dll with its runtimeconfig.json and appsettings.json is in none of: {string.Join(", ", directories)}. Build the solution first.");
        return Path.Combine(directory, Name + ".dll");
    }

    private static ServerProcess Launch(string redisConfiguration, IReadOnlyDictionary<string, string?>? settings, ITestOutputHelper? output, int keptLines)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}");
        var assembly = ServerAssembly();
        // The dotnet CLI names its own host to the processes it starts; outside it, the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : RepositoryPaths.FindOnPath("dotnet") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        var environment = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redisConfiguration,
            ["Logging:LogLevel:Default"] = "Warning",
            // No browser endpoint unless a test asks for one: the default port would be shared by every process.
            ["Web:Url"] = string.Empty,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + dotnet);
        var server = new ServerProcess(process, address, output, keptLines);
        process.OutputDataReceived += (_, line) => server.Log(line.Data);
        process.ErrorDataReceived += (_, line) => server.Log(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > _keptLines)
            {
                _lastLines.Dequeue();
            }
        }

        try
        {
            _output?.WriteLine($"[server {ProcessId.ToString(CultureInfo.InvariantCulture)}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test that owned this output has finished; the line has nowhere to go.
        }
    }

    private async Task WaitUntilServingAsync()
    {
        var health = new Health.HealthClient(Channel);
        var giveUp = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting on {Address}:\n{LastLines()}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2)).ConfigureAwait(false);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"The server on {Address} did not report SERVING within {StartTimeout.TotalSeconds} s:\n{LastLines()}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private string LastLines()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }
}

/// <summary>Resident set size of a process now and its high-water mark, in bytes.</summary>
public readonly record struct ProcessMemory(long ResidentBytes, long PeakResidentBytes);
