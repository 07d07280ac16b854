using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;

namespace NpsGrpc.Bench.Baselines;

/// <summary>
/// <c>h2load</c> (nghttp2's C load generator, Debian's <c>nghttp2-client</c>) sending one unary gRPC call over and over:
/// a gRPC-framed request body, <c>content-type: application/grpc</c> and <c>te: trailers</c>, over h2c. Its CPU is small
/// beside a .NET client's, so the cores it shares with the server hide less of the server's cost.
/// </summary>
internal static partial class H2Load
{
    public const string Executable = "/usr/bin/h2load";

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>What h2load printed: calls per second, the mean time per call, and the calls that succeeded and failed.</summary>
    public sealed record Result(int Connections, double CallsPerSecond, double MeanMilliseconds, long Succeeded, long Failed, long Status2xx);

    /// <summary>
    /// <paramref name="connections"/> connections, one call in flight on each (a closed loop of that concurrency), for
    /// <paramref name="duration"/> after <paramref name="warmUp"/>.
    /// </summary>
    public static async Task<Result> RunAsync(Uri server, string method, IMessage request, int connections, TimeSpan duration, TimeSpan warmUp)
    {
        var body = Path.GetTempFileName();
        try
        {
            // A gRPC message: not compressed (0), its length as 4 bytes big-endian, then the protobuf bytes.
            var message = request.ToByteArray();
            var framed = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
            message.CopyTo(framed, 5);
            await File.WriteAllBytesAsync(body, framed).ConfigureAwait(false);

            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "-c", connections.ToString(CultureInfo.InvariantCulture), "-m", "1", "-t", "1",
                "-D", Seconds(duration), $"--warm-up-time={Seconds(warmUp)}",
                "-H", "content-type: application/grpc", "-H", "te: trailers",
                "-d", body, new Uri(server, method).ToString(),
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("h2load did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            return Parse(connections, await output.ConfigureAwait(false), await errors.ConfigureAwait(false), process.ExitCode);
        }
        finally
        {
            File.Delete(body);
        }
    }

    internal static Result Parse(int connections, string output, string errors, int exitCode)
    {
        var finished = Finished().Match(output);
        var requests = Requests().Match(output);
        var codes = StatusCodes().Match(output);
        var time = TimeForRequest().Match(output);
        if (exitCode != 0 || !finished.Success || !requests.Success || !codes.Success || !time.Success)
        {
            throw new InvalidOperationException($"h2load exited {exitCode} and printed what it cannot be read from:\n{output}\n{errors}");
        }

        return new Result(
            connections,
            double.Parse(finished.Groups["rate"].Value, CultureInfo.InvariantCulture),
            Milliseconds(time.Groups["mean"].Value, time.Groups["unit"].Value),
            long.Parse(requests.Groups["succeeded"].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups["failed"].Value, CultureInfo.InvariantCulture),
            long.Parse(codes.Groups["ok"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>h2load takes whole seconds: a duration is rounded up to them.</summary>
    public static int WholeSeconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds);

    private static string Seconds(TimeSpan span) => WholeSeconds(span).ToString(CultureInfo.InvariantCulture) + "s";

    private static double Milliseconds(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "us" => 0.001,
        "ms" => 1,
        "s" => 1000,
        _ => throw new InvalidOperationException($"h2load printed a time in '{unit}'."),
    };

    [GeneratedRegex(@"finished in [\d.]+s, (?<rate>[\d.]+) req/s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: (?<ok>\d+) 2xx")]
    private static partial Regex StatusCodes();

    [GeneratedRegex(@"time for request:\s+[\d.]+\w+\s+[\d.]+\w+\s+(?<mean>[\d.]+)(?<unit>us|ms|s)\s")]
    private static partial Regex TimeForRequest();
}
