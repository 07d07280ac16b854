using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace NpsGrpc.Testing;

/// <summary>
/// A real redis-server process on a loopback port, with its own data directory. It can be killed and started
/// again on the same port and data, to test what survives.
/// </summary>
public sealed class RedisServer : IRedisDeployment
{
    private readonly bool _durable;
    private readonly RedisServerOptions _options;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;
    private ConnectionMultiplexer? _admin;
    private PortHold? _hold;

    private RedisServer(int port, string dataDirectory, bool durable, RedisServerOptions options)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _durable = durable;
        _options = options;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{_options.ConnectionSuffix}";

    /// <summary>
    /// Starts redis-server. <paramref name="durable"/> turns on the append-only file with fsync on every write,
    /// the setting under which an acknowledged batch survives a crash.
    /// </summary>
    public static async Task<RedisServer> StartAsync(bool durable = false, RedisServerOptions? options = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("npsgrpc-redis-").FullName;
            var server = new RedisServer(FreePort.Next(), directory, durable, options ?? new RedisServerOptions());
            try
            {
                await server.StartProcessAsync().ConfigureAwait(false);
                return server;
            }
            catch (RedisStartException) when (attempt < 5)
            {
                // A free port can be taken by another test's process before redis-server binds it: take another.
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A connection for the test itself, to inspect or disturb the data.</summary>
    public async Task<IDatabase> AdminAsync()
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync(ClientOptions(",allowAdmin=true")).ConfigureAwait(false);
        return _admin.GetDatabase();
    }

    public IServer AdminServer() =>
        (_admin ?? throw new InvalidOperationException("Call AdminAsync first.")).GetServer("127.0.0.1", Port);

    /// <summary>
    /// Stalls Redis for <paramref name="duration"/> with DEBUG SLEEP (a slow disk, a long script, a swapping host:
    /// every client waits). Returns once Redis is seen asleep (a PING on another connection goes unanswered for
    /// 100 ms); the returned task completes when it wakes.
    /// </summary>
    public async Task<Task> SleepAsync(TimeSpan duration)
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.AllowAdmin = true;
        options.AsyncTimeout = (int)(duration + TimeSpan.FromSeconds(30)).TotalMilliseconds;
        // Both connections are made first: a connection handshake would itself wait out the sleep.
        var probe = await AdminAsync().ConfigureAwait(false);
        var sleeper = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var sleeping = sleeper.GetDatabase().ExecuteAsync("DEBUG", "SLEEP", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));

        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var ping = probe.PingAsync();
            if (await Task.WhenAny(ping, Task.Delay(100)).ConfigureAwait(false) != ping)
            {
                break;
            }

            if (sleeping.IsCompleted || DateTime.UtcNow > giveUp)
            {
                await sleeper.CloseWithoutQuitAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"Redis on port {Port} was never seen asleep: {(sleeping.IsFaulted ? sleeping.Exception!.InnerException!.Message : "it kept answering PING")}.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return WakeAsync();

        async Task WakeAsync()
        {
            try
            {
                await sleeping.ConfigureAwait(false);
            }
            finally
            {
                await sleeper.CloseWithoutQuitAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Kills the process at once (SIGKILL), as a crash would. Until <see cref="RestartAsync"/> the port stays this
    /// server's: connections to it are refused, and no other test's process can start listening on it meanwhile (the
    /// server under test would then find a live Redis where this one is down).
    /// </summary>
    public async Task KillAsync()
    {
        await StopProcessAsync().ConfigureAwait(false);
        _hold ??= PortHold.Take(Port);
    }

    /// <summary>Starts the process again on the same port and data directory.</summary>
    public Task RestartAsync() => StartProcessAsync();

    private async Task StopProcessAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_admin is not null)
            {
                await _admin.CloseWithoutQuitAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Stopped even when closing the connection fails: a redis-server left running outlives the test run.
            await StopProcessAsync().ConfigureAwait(false);
        }

        _hold?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task StartProcessAsync()
    {
        // Given back the moment before redis-server binds it again.
        _hold?.Dispose();
        _hold = null;
        var binary = RepositoryPaths.FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: `apt-get install redis-server` (bash .ci/test does it).");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", DataDirectory,
            "--save", string.Empty,
            "--appendonly", _durable ? "yes" : "no",
            "--appendfsync", "always",
            "--daemonize", "no",
            "--enable-debug-command", "local",
            "--logfile", string.Empty,
            .. _options.Arguments?.Invoke(Port) ?? [],
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _output.Clear();
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync().ConfigureAwait(false);
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 5)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                var probe = await ConnectionMultiplexer.ConnectAsync(ClientOptions(",connectTimeout=500")).ConfigureAwait(false);
                try
                {
                    if (probe.IsConnected)
                    {
                        await probe.GetDatabase().PingAsync().ConfigureAwait(false);
                        return;
                    }
                }
                finally
                {
                    await probe.CloseWithoutQuitAsync().ConfigureAwait(false);
                }
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
            }

            if (_process is { HasExited: true })
            {
                throw new RedisStartException($"redis-server exited with code {_process.ExitCode} while starting on port {Port}: {string.Join(" | ", _output)}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"redis-server did not answer on port {Port} within 20 s.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Client options for this server's own connections (the test's, not the server under test's).</summary>
    public ConfigurationOptions ClientOptions(string extra = "")
    {
        var options = ConfigurationOptions.Parse(Configuration + extra);
        if (_options.TrustedCertificateAuthority is { } authority)
        {
            options.TrustIssuer(authority);
        }

        return options;
    }
}

/// <summary>How a test redis-server differs from the plain one: extra arguments, credentials, TLS.</summary>
public sealed record RedisServerOptions
{
    /// <summary>More redis-server arguments, given the port (they come last, so they override the defaults).</summary>
    public Func<int, IEnumerable<string>>? Arguments { get; init; }

    /// <summary>Appended to the configuration string, e.g. <c>,user=nps,password=...</c> or <c>,ssl=true</c>.</summary>
    public string ConnectionSuffix { get; init; } = string.Empty;

    /// <summary>A PEM CA certificate the test's own connections trust (for a Redis serving TLS).</summary>
    public string? TrustedCertificateAuthority { get; init; }
}

/// <summary>redis-server exited before it answered; its last output lines are in the message.</summary>
public sealed class RedisStartException(string message) : InvalidOperationException(message);
