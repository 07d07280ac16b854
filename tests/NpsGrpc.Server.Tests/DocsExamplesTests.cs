using NpsGrpc.Server.Tests.Support;
using NpsGrpc.Testing;
using Xunit.Abstractions;

namespace NpsGrpc.Server.Tests;

/// <summary>
/// Runs every buf curl block of the guides against a live server, reached only through reflection, and compares
/// what it prints with the output block the document shows under it.
/// </summary>
[Collection(ScoringServerCollection.Name)]
public sealed class DocsExamplesTests(ScoringServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public Task Every_buf_curl_example_of_the_grpcurl_guide_prints_the_output_the_guide_shows() => RunExamplesAsync("grpcurl.md", 7);

    [Fact]
    public Task Every_buf_curl_example_of_the_follow_up_guide_prints_the_output_the_guide_shows() => RunExamplesAsync("follow-up.md", 13);

    [Fact]
    public Task Every_buf_curl_example_of_the_grpc_web_guide_prints_the_output_the_guide_shows() => RunExamplesAsync("grpc-web.md", 4);

    /// <summary>Where the guides call the browser endpoint (Web:Url's default).</summary>
    private const string DocumentedWebAddress = "http://127.0.0.1:5080";

    private async Task RunExamplesAsync(string guide, int atLeast)
    {
        var blocks = DocumentedOutput.FencedBlocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", guide)));
        var examples = blocks
            .Select((block, i) => (Block: block, Output: i + 1 < blocks.Count ? blocks[i + 1] : default))
            .Where(pair => pair.Block.Language == "sh" && pair.Block.Body.Contains("buf curl", StringComparison.Ordinal))
            .ToList();
        Assert.True(examples.Count >= atLeast, $"Expected the buf curl examples of {guide}, found {examples.Count}.");

        foreach (var (block, documented) in examples)
        {
            Assert.True(documented.Language is "json" or "text", "Every buf curl example needs its output block:\n" + block.Body);
            // From the repository root, where `buf curl --schema .` finds the contract.
            var script = block.Body.Replace(DocumentedWebAddress, fixture.Server.WebAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal);
            var (exitCode, stdout, stderr) = await ShellExample.RunAsync(script, fixture.Server.Address, output, workingDirectory: RepositoryPaths.Root);
            // buf curl prints an error status on standard error and exits non-zero; the guide shows that text.
            var printed = exitCode == 0 ? stdout : stderr;
            if (documented.Language == "text")
            {
                Assert.Equal(0, exitCode);
                Assert.Equal(DocumentedOutput.Lines(documented.Body), DocumentedOutput.Lines(printed));
            }
            else
            {
                var expected = DocumentedOutput.JsonValues(documented.Body);
                var actual = DocumentedOutput.JsonValues(printed);
                Assert.True(expected.Count == actual.Count, $"Expected {expected.Count} JSON values, got {actual.Count}:\n{printed}");
                for (var i = 0; i < expected.Count; i++)
                {
                    DocumentedOutput.AssertSame(expected[i], actual[i], "$");
                }
            }
        }
    }
}
