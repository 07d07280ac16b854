using System.Globalization;

namespace NpsGrpc.FollowUpWorker;

/// <summary>
/// What the worker watches and how it connects, from the command line, else the environment, else the defaults. The
/// API key comes from the environment only ($NPS_API_KEY): on a command line every user of the machine could read it.
/// </summary>
internal sealed record WorkerOptions(
    string Address,
    string? CaFile,
    string? ApiKey,
    string Group,
    string Consumer,
    IReadOnlyList<string> Products,
    int MaxRecords,
    int MaxOutstanding,
    DateTimeOffset? StartTime)
{
    public const string Usage =
        "usage: FollowUpWorker [--address host:port|https://host:port] [--ca-file ca.pem] [--group name] [--consumer name]\n" +
        "                      --product id [--product id...] [--max-records n] [--max-outstanding n]\n" +
        "                      [--start-time 2026-12-01T00:00:00Z]\n" +
        "  defaults: $NPS_SERVER_ADDRESS or 127.0.0.1:5000, $NPS_SERVER_CA (else the system's CAs),\n" +
        "  $NPS_FOLLOW_UP_GROUP or callback-team, $NPS_FOLLOW_UP_CONSUMER or the host name, $NPS_FOLLOW_UP_PRODUCTS\n" +
        "  (comma-separated); the API key is $NPS_API_KEY (https:// only); --max-records 0 (the default) runs until Ctrl+C.";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with what is wrong.</summary>
    public static WorkerOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Count)
            {
                throw new ArgumentException($"expected --name value, got {args[i]}");
            }

            var name = args[i][2..];
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(args[i + 1]);
        }

        string One(string name, string variable, string fallback) =>
            values.Remove(name, out var given) ? given[^1] : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : fallback;
        int Number(string name, int fallback) =>
            values.Remove(name, out var given)
                ? int.TryParse(given[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} is not a number: {given[^1]}")
                : fallback;

        string? Optional(string name, string variable) => One(name, variable, "") is { Length: > 0 } value ? value : null;

        var products = values.Remove("product", out var listed)
            ? listed
            : [.. (Environment.GetEnvironmentVariable("NPS_FOLLOW_UP_PRODUCTS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var options = new WorkerOptions(
            One("address", "NPS_SERVER_ADDRESS", "127.0.0.1:5000"),
            Optional("ca-file", "NPS_SERVER_CA"),
            Environment.GetEnvironmentVariable("NPS_API_KEY") is { Length: > 0 } key ? key : null,
            One("group", "NPS_FOLLOW_UP_GROUP", "callback-team"),
            One("consumer", "NPS_FOLLOW_UP_CONSUMER", Environment.MachineName),
            products,
            Number("max-records", 0),
            Number("max-outstanding", 10),
            values.Remove("start-time", out var start)
                ? DateTimeOffset.Parse(start[^1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null);
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        // A key sent in plaintext is a key given away; a CA file for a plaintext address is a mistake in the address.
        var tls = options.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!tls && options.ApiKey is not null)
        {
            throw new ArgumentException($"NPS_API_KEY is only sent over TLS: give an https:// address, not {options.Address}");
        }

        if (!tls && options.CaFile is not null)
        {
            throw new ArgumentException($"--ca-file (or NPS_SERVER_CA) is for TLS: give an https:// address, not {options.Address}");
        }

        return options.Products.Count == 0 ? throw new ArgumentException("name at least one --product") : options;
    }
}
