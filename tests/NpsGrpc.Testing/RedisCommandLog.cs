using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace NpsGrpc.Testing;

/// <summary>
/// Counts the commands that the connections with one client name execute on a redis-server between
/// <see cref="StartAsync"/> and <see cref="StopAsync"/>, including the commands their scripts run. It uses MONITOR,
/// which shows the sending connection of every command. INFO commandstats counts the commands of every client, so a
/// handshake of any other connection (a reconnect, another multiplexer's subscription) would be counted with them.
/// </summary>
/// <remarks>
/// The log uses plain sockets, not a multiplexer, so it sends nothing of its own during the window. Connections
/// opened after the start are not counted, not even a reconnect of the named client: the counts then come out too
/// low, and the test fails. Redis leaves admin commands (CONFIG, DEBUG, CLIENT KILL...) out of MONITOR, so they
/// are never counted; the request path does not send them.
/// </remarks>
public sealed class RedisCommandLog : IDisposable
{
    // A script's commands appear in MONITOR as sent by "lua", right after the script call (Redis 7.0).
    private const string ScriptClient = "lua";
    private static readonly HashSet<string> ScriptCalls = ["eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"];
    private static readonly HashSet<string> ContainerCommands =
        ["acl", "client", "cluster", "command", "config", "function", "latency", "memory", "module", "object", "pubsub", "script", "slowlog", "xinfo"];

    private readonly int _port;
    private readonly RespConnection _monitor;
    private readonly IReadOnlySet<string> _addresses;
    private readonly IReadOnlySet<string> _ignored;

    private RedisCommandLog(int port, RespConnection monitor, IReadOnlySet<string> addresses, IReadOnlySet<string> ignored)
    {
        _port = port;
        _monitor = monitor;
        _addresses = addresses;
        _ignored = ignored;
    }

    /// <summary>
    /// Starts counting the commands of the connections now named <paramref name="clientName"/> (CLIENT SETNAME; for
    /// StackExchange.Redis, <c>name=</c> in the configuration string), except those in <paramref name="ignored"/>
    /// (command names as in INFO commandstats: <c>hmget</c>, <c>cluster|nodes</c>).
    /// </summary>
    public static async Task<RedisCommandLog> StartAsync(int port, string clientName, IEnumerable<string>? ignored = null)
    {
        var monitor = await RespConnection.OpenAsync(port).ConfigureAwait(false);
        try
        {
            await monitor.SendAsync("CLIENT", "LIST").ConfigureAwait(false);
            var clients = await monitor.ReadBulkAsync().ConfigureAwait(false);
            var addresses = clients.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Fields)
                .Where(client => client.GetValueOrDefault("name") == clientName)
                .Select(client => client["addr"])
                .ToHashSet();
            if (addresses.Count == 0)
            {
                throw new InvalidOperationException($"No connection named '{clientName}' on port {port}: {clients}");
            }

            await monitor.SendAsync("MONITOR").ConfigureAwait(false);
            var reply = await monitor.ReadLineAsync().ConfigureAwait(false);
            if (reply != "+OK")
            {
                throw new InvalidOperationException($"MONITOR answered {reply}.");
            }

            return new RedisCommandLog(port, monitor, addresses, (ignored ?? []).ToHashSet());
        }
        catch
        {
            monitor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ends the window and returns how many times each command (named as in INFO commandstats) was executed by the
    /// counted connections and by their scripts. Every command Redis executed before this call is included.
    /// </summary>
    public async Task<Dictionary<string, long>> StopAsync()
    {
        // Redis runs commands one at a time and shows each in MONITOR in that order, so once this marker shows,
        // everything executed before it has shown too.
        var marker = $"end-of-window-{Guid.NewGuid():N}";
        using (var other = await RespConnection.OpenAsync(_port).ConfigureAwait(false))
        {
            await other.SendAsync("ECHO", marker).ConfigureAwait(false);
            await other.ReadBulkAsync().ConfigureAwait(false);
        }

        var calls = new Dictionary<string, long>();
        string? scriptCaller = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await _monitor.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            var (client, arguments) = Parse(line);
            if (client != ScriptClient && arguments is ["ECHO" or "echo", var echoed] && echoed == marker)
            {
                return calls;
            }

            var name = Name(arguments);
            if (client == ScriptClient)
            {
                // Attributed to the connection that called the script.
                client = scriptCaller ?? throw new InvalidOperationException($"A script's command with no script call before it in MONITOR (this Redis orders them differently): {line}");
            }
            else
            {
                scriptCaller = ScriptCalls.Contains(name) ? client : null;
            }

            if (_addresses.Contains(client) && !_ignored.Contains(name))
            {
                calls[name] = calls.GetValueOrDefault(name) + 1;
            }
        }
    }

    public void Dispose() => _monitor.Dispose();

    private static Dictionary<string, string> Fields(string client) =>
        client.Split(' ').Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);

    private static string Name(IReadOnlyList<string> arguments)
    {
        var command = arguments[0].ToLowerInvariant();
        return ContainerCommands.Contains(command) && arguments.Count > 1 ? $"{command}|{arguments[1].ToLowerInvariant()}" : command;
    }

    /// <summary>One MONITOR line: <c>+1700000000.123456 [0 127.0.0.1:50000] "HMGET" "key" "0"</c>; client "lua" for a script's commands.</summary>
    private static (string Client, IReadOnlyList<string> Arguments) Parse(string line)
    {
        var open = line.IndexOf('[', StringComparison.Ordinal);
        var close = line.IndexOf(']', open + 1);
        if (!line.StartsWith('+') || open < 0 || close < 0)
        {
            throw new InvalidOperationException($"Not a MONITOR line: {line}");
        }

        var client = line[(open + 1)..close].Split(' ', 2)[1];
        var arguments = new List<string>();
        var argument = new StringBuilder();
        for (var i = close + 1; i < line.Length; i++)
        {
            if (line[i] != '"')
            {
                continue;
            }

            argument.Clear();
            for (i++; line[i] != '"'; i++)
            {
                if (line[i] != '\\')
                {
                    argument.Append(line[i]);
                    continue;
                }

                var escaped = line[++i];
                if (escaped == 'x')
                {
                    argument.Append((char)Convert.ToByte(line.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    argument.Append(escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'a' => '\a', 'b' => '\b', _ => escaped });
                }
            }

            arguments.Add(argument.ToString());
        }

        return (client, arguments);
    }

    /// <summary>Just enough RESP2 for the log, on a plain socket: commands out, simple strings and bulk strings in.</summary>
    private sealed class RespConnection : IDisposable
    {
        private readonly TcpClient _socket;
        private readonly StreamReader _reader;

        private RespConnection(TcpClient socket)
        {
            _socket = socket;
            // MONITOR escapes every byte that is not printable ASCII, and bulk lengths count bytes: one char a byte.
            _reader = new StreamReader(socket.GetStream(), Encoding.Latin1);
        }

        public static async Task<RespConnection> OpenAsync(int port)
        {
            var socket = new TcpClient();
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port).ConfigureAwait(false);
                return new RespConnection(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public async Task SendAsync(params string[] command)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
            foreach (var part in command)
            {
                text.Append(CultureInfo.InvariantCulture, $"${Encoding.Latin1.GetByteCount(part)}\r\n{part}\r\n");
            }

            await _socket.GetStream().WriteAsync(Encoding.Latin1.GetBytes(text.ToString())).ConfigureAwait(false);
        }

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken = default) =>
            await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Redis closed the connection.");

        public async Task<string> ReadBulkAsync()
        {
            var header = await ReadLineAsync().ConfigureAwait(false);
            if (!header.StartsWith('$'))
            {
                throw new InvalidOperationException($"Expected a bulk string, got {header}");
            }

            var buffer = new char[int.Parse(header.AsSpan(1), CultureInfo.InvariantCulture) + 2];
            for (var read = 0; read < buffer.Length;)
            {
                var n = await _reader.ReadAsync(buffer.AsMemory(read)).ConfigureAwait(false);
                read += n > 0 ? n : throw new InvalidOperationException("Redis closed the connection.");
            }

            return new string(buffer, 0, buffer.Length - 2);
        }

        public void Dispose()
        {
            _reader.Dispose();
            _socket.Dispose();
        }
    }
}
