using System.Diagnostics;
using System.Text.RegularExpressions;
using NpsGrpc.V1;

namespace NpsGrpc.Client.Tests;

/// <summary>
/// The README's C# is code the tests compile and run: each snippet is a region of a test, between
/// "// README: name" and "// README: end"; the example program is run as the README runs it.
/// </summary>
public sealed partial class ReadmeTests
{
    internal static readonly string SdkDirectory = FindSdkDirectory();

    [Fact(Timeout = 30_000)]
    public async Task The_readme_quick_example_counts_both_responses()
    {
        // README: quick-example
        var address = Environment.GetEnvironmentVariable("NPS_SERVER_ADDRESS") ?? "127.0.0.1:5000"; // bash .ci/serve
        using var channel = NpsChannel.ForAddress(address);
        var client = new NpsService.NpsServiceClient(channel);
        await using (var writer = new NpsWriter(client, new NpsWriterOptions { WriterId = "checkout-service-1" }))
        {
            writer.Rejected += (_, r) => Console.WriteLine($"not counted: {r.Field}: {r.Description}");
            await writer.AddAsync("example-csharp", 9, new Dictionary<string, string> { ["region"] = "eu" });
            await writer.AddAsync("example-csharp", 4);
        }   // disposing flushes: everything added is acknowledged when this returns
        var score = (await client.GetScoreAsync(new GetScoreRequest { ProductId = "example-csharp" })).Score;
        Console.WriteLine($"NPS {score.Nps} from {score.Total} responses");
        // README: end

        // The product is the README's own, so earlier runs count too.
        Assert.True(score.Total >= 2, $"{score.Total} responses");
        Assert.True(score.Promoters >= 1 && score.Detractors >= 1);
    }

    [Fact]
    public void Every_readme_region_of_the_tests_is_a_csharp_block_of_the_readme()
    {
        var blocks = FencedBlock().Matches(File.ReadAllText(Path.Combine(SdkDirectory, "README.md")))
            .Select(m => m.Groups[1].Value).ToHashSet();
        var regions = Directory.GetFiles(Path.Combine(SdkDirectory, "NpsGrpc.Client.Tests"), "*.cs")
            .SelectMany(file => Region().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Name: m.Groups[1].Value, Body: Dedent(m.Groups[2].Value))))
            .ToList();

        Assert.Contains(regions, r => r.Name == "quick-example");
        Assert.Contains(regions, r => r.Name == "production");
        foreach (var region in regions)
        {
            Assert.True(blocks.Contains(region.Body), $"README.md has no ```csharp block equal to the region {region.Name} of {region.File}:\n{region.Body}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_example_program_submits_to_a_product_of_its_own_and_prints_its_score()
    {
        // Built with the solution, in the configuration of these tests (bin/<configuration>/<framework>/).
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var example = Path.Combine(SdkDirectory, "Example", "bin", output.Parent!.Name, output.Name, "Example.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [example, LiveServer.Address]) { RedirectStandardOutput = true })!;
        var printed = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, printed);
        Assert.Matches(@"(?m)^rejected responses\[8\]\.score: score must be 0 to 10; got 11\.$", printed);
        Assert.Matches(@"(?m)^writer csharp-[0-9a-f]{32}: 8 accepted, 1 rejected$", printed);
        Assert.Matches(@"(?m)^example-csharp-\d{14}: NPS 25 from 8 responses \(4 promoters, 2 passives, 2 detractors\), 95% CI -?[0-9.]+ to [0-9.]+, low sample$", printed);
    }

    private static string Dedent(string body)
    {
        var lines = body.Split('\n')[..^1];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Concat(lines.Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }

    private static string FindSdkDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NpsGrpc.Client.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NpsGrpc.Client.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(?ms)^```csharp\n(.*?)^```$")]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?ms)^[ \t]*// README: (\S+)\n(.*?)^[ \t]*// README: end$")]
    private static partial Regex Region();
}
