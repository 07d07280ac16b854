using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Runs every buf curl block of docs/grpcurl.md against a live server, reached only through reflection, and
/// compares what it prints with the output block the document shows under it.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed partial class DocsExamplesTests(ScoringServerFixture fixture, ITestOutputHelper output)
{
    private const string DocumentedAddress = "http://127.0.0.1:5000";

    [Fact]
    public async Task Every_buf_curl_example_of_the_grpcurl_guide_prints_the_output_the_guide_shows()
    {
        var blocks = FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "grpcurl.md")));
        var examples = blocks
            .Select((block, i) => (Block: block, Output: i + 1 < blocks.Count ? blocks[i + 1] : default))
            .Where(pair => pair.Block.Language == "sh" && pair.Block.Body.Contains("buf curl", StringComparison.Ordinal))
            .ToList();
        Assert.True(examples.Count >= 7, $"Expected the guide's buf curl examples, found {examples.Count}.");

        foreach (var (block, documented) in examples)
        {
            Assert.True(documented.Language is "json" or "text", "Every buf curl example needs its output block:\n" + block.Body);
            var (exitCode, stdout, stderr) = await RunAsync(block.Body);
            // buf curl prints an error status on standard error and exits non-zero; the guide shows that text.
            var printed = exitCode == 0 ? stdout : stderr;
            if (documented.Language == "text")
            {
                Assert.Equal(0, exitCode);
                Assert.Equal(Lines(documented.Body), Lines(printed));
            }
            else
            {
                var expected = JsonValues(documented.Body);
                var actual = JsonValues(printed);
                Assert.True(expected.Count == actual.Count, $"Expected {expected.Count} JSON values, got {actual.Count}:\n{printed}");
                for (var i = 0; i < expected.Count; i++)
                {
                    AssertContains(expected[i], actual[i], "$");
                }
            }
        }
    }

    /// <summary>Every property the document shows must be printed with that value; arrays match element by element.</summary>
    private static void AssertContains(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind}, printed {actual.ValueKind} ({actual})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is documented but not printed: {actual}");
                    AssertContains(property.Value, value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: documented {expected}, printed {actual}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    AssertContains(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: documented {expected.GetRawText()}, printed {actual.GetRawText()}");
                break;
        }
    }

    private static List<JsonElement> JsonValues(string text)
    {
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            values.Add(JsonElement.ParseValue(ref reader));
        }

        return values;
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string block)
    {
        var script = block.Replace(DocumentedAddress, fixture.Server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
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

    private static List<(string Language, string Body)> FencedBlocks(string markdown) =>
        [.. Fence().Matches(markdown).Select(match => (match.Groups["lang"].Value, match.Groups["body"].Value))];

    [GeneratedRegex("^```(?<lang>[a-z]*)\\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();
}
