using System.Text.Json;
using System.Text.RegularExpressions;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Runs the README's buf curl examples, exactly as written but for the server address, against a live server
/// reached only through reflection, and checks what they print.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed partial class ReadmeExamplesTests(ScoringServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_readme_buf_curl_examples_submit_the_reference_batch_and_read_NPS_20_even_when_run_twice()
    {
        var blocks = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        // Each example with the outputs shown under it: one for an example that prints the same every time, two for
        // the submission, whose second run is a duplicate.
        var examples = blocks
            .Select((block, i) => (block.Body, Shown: blocks.Skip(i + 1).TakeWhile(next => next.Language != "sh").Where(next => next.Language is "json" or "text").ToList()))
            .Where((pair, i) => blocks[i].Language == "sh" && pair.Body.Contains("buf curl", StringComparison.Ordinal))
            .ToList();
        Assert.True(examples.Count >= 3, "README.md should show buf curl examples for listing, submitting and reading.");

        for (var run = 1; run <= 2; run++)
        {
            foreach (var (block, shown) in examples)
            {
                var printed = await RunAsync(block);
                Check(block, printed, run);
                Assert.True(shown.Count > 0, "README.md should show what this example prints:\n" + block);
                var (language, documented) = shown[Math.Min(run, shown.Count) - 1];
                // The output the README shows under the example must be all that the server prints, nothing more.
                if (language == "text")
                {
                    Assert.Equal(DocumentedOutput.Lines(documented), DocumentedOutput.Lines(printed));
                }
                else
                {
                    var expected = DocumentedOutput.JsonValues(documented);
                    var actual = DocumentedOutput.JsonValues(printed);
                    Assert.True(expected.Count == actual.Count, $"README.md shows {expected.Count} JSON values, the example printed {actual.Count}:\n{printed}");
                    DocumentedOutput.AssertSame(expected[0], actual[0], "$");
                }
            }
        }
    }

    [Fact]
    public void Every_readme_grpcurl_example_sends_the_same_request_as_a_tested_buf_curl_example()
    {
        // grpcurl cannot be installed on the CI machine; its examples must stay the exact twins of the buf curl ones.
        var bufRequests = ExampleBlocks("buf curl").Select(RequestOf).ToHashSet();
        var grpcurlBlocks = ExampleBlocks("grpcurl");

        Assert.NotEmpty(grpcurlBlocks);
        foreach (var block in grpcurlBlocks)
        {
            Assert.Contains(RequestOf(block), bufRequests);
        }
    }

    private static void Check(string block, string printed, int run)
    {
        if (block.Contains("--list-methods", StringComparison.Ordinal))
        {
            Assert.Contains("nps.v1.NpsService/SubmitResponses", printed, StringComparison.Ordinal);
            Assert.Contains("nps.v1.NpsService/GetScore", printed, StringComparison.Ordinal);
        }
        else if (block.Contains("/SubmitResponses", StringComparison.Ordinal))
        {
            using var ack = JsonDocument.Parse(printed);
            Assert.Equal(1000, ack.RootElement.GetProperty("acceptedCount").GetInt32());
            // The second run re-sends the same writer and sequence: acknowledged as a duplicate, not counted again.
            Assert.Equal(run == 2, ack.RootElement.TryGetProperty("duplicate", out var duplicate) && duplicate.GetBoolean());
        }
        else if (block.Contains("/GetScore", StringComparison.Ordinal))
        {
            using var response = JsonDocument.Parse(printed);
            var score = response.RootElement.GetProperty("score");
            Assert.Equal(20, score.GetProperty("nps").GetDouble());
            Assert.Equal("1000", score.GetProperty("total").GetString());
        }
        else if (block.Contains("Health/Check", StringComparison.Ordinal))
        {
            Assert.Contains("SERVING", printed, StringComparison.Ordinal);
        }
        else
        {
            Assert.Fail("No check is written for this README example:\n" + block);
        }
    }

    private async Task<string> RunAsync(string block)
    {
        var (exitCode, stdout, stderr) = await ShellExample.RunAsync(block, fixture.Server.Address, output);
        Assert.True(exitCode == 0, $"README example failed with exit code {exitCode}:\n{block}\n{stderr}");
        return stdout;
    }

    /// <summary>The ```sh blocks of README.md that run <paramref name="tool"/>.</summary>
    private static List<string> ExampleBlocks(string tool)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        return [.. DocumentedOutput.FencedBlocks(readme)
            .Where(block => block.Language == "sh" && block.Body.Contains(tool, StringComparison.Ordinal))
            .Select(block => block.Body)];
    }

    /// <summary>The method and the JSON body an example sends, whichever tool it uses.</summary>
    private static string RequestOf(string block)
    {
        var method = Method().Match(block).Groups["method"].Value;
        var data = Data().Match(block);
        var body = data.Success ? data.Groups["data"].Value : string.Empty;
        var listing = block.Contains("--list-methods", StringComparison.Ordinal) || block.Contains(" list", StringComparison.Ordinal);
        return listing ? "list" : $"{method} {body}";
    }

    [GeneratedRegex("(?<method>[a-z0-9.]+\\.[A-Z][A-Za-z]+/[A-Z][A-Za-z]+)")]
    private static partial Regex Method();

    [GeneratedRegex("-d (?<data>\"[^\\n]*\"|'[^\\n]*')")]
    private static partial Regex Data();
}
