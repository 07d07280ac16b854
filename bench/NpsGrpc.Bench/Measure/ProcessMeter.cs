using System.Globalization;

namespace NpsGrpc.Bench.Measure;

/// <summary>
/// CPU seconds and peak resident memory of another process, read from /proc: utime + stime of /proc/PID/stat,
/// VmHWM of /proc/PID/status. The peak is reset at the start of a measurement through /proc/PID/clear_refs.
/// </summary>
internal sealed class ProcessMeter(int pid)
{
    private static readonly double TicksPerSecond = ClockTicks();

    public int Pid { get; } = pid;

    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name may hold spaces: fields are counted after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Peak resident set size since the last <see cref="ResetPeak"/>, in bytes.</summary>
    public long PeakRssBytes() => StatusKilobytes("VmHWM:") * 1024;

    public long RssBytes() => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>Resets VmHWM to the current RSS (writing 5 to clear_refs); false where the kernel refuses.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static double ClockTicks()
    {
        // USER_HZ is 100 on every Linux architecture .NET runs on; getconf confirms it where present.
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = process!.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}

/// <summary>What the server, Redis and this client spent during one measured run.</summary>
internal readonly record struct ResourceUse(double ServerCpu, double RedisCpu, double ClientCpu, long ServerPeakRss, double Seconds)
{
    /// <summary>Share of the machine's cores the three processes kept busy together.</summary>
    public double MachineShare => (ServerCpu + RedisCpu + ClientCpu) / (Seconds * Environment.ProcessorCount);
}

/// <summary>
/// Starts and stops one resource measurement over the server, Redis and this process. Redis CPU is the sum over
/// every Redis process (on a cluster: primaries and replicas, which share the machine's cores).
/// </summary>
internal sealed class ResourceMeter(ProcessMeter server, IReadOnlyList<ProcessMeter> redisProcesses)
{
    public async Task<(T Result, ResourceUse Use)> MeasureAsync<T>(Func<Task<T>> run)
    {
        server.ResetPeak();
        var (s0, r0, c0) = (server.CpuSeconds(), RedisCpu(), ClientCpu());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await run().ConfigureAwait(false);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (result, new ResourceUse(server.CpuSeconds() - s0, RedisCpu() - r0, ClientCpu() - c0, server.PeakRssBytes(), seconds));
    }

    private double RedisCpu() => redisProcesses.Sum(process => process.CpuSeconds());

    private static double ClientCpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
