using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NpsGrpc.Bench.Micro;

// bench/run: dotnet NpsGrpc.Bench.Micro.dll [--quick] --report FILE. --quick runs one short iteration (a smoke test).
var quick = args.Contains("--quick");
var reportIndex = Array.IndexOf(args, "--report");
var report = reportIndex >= 0 && reportIndex + 1 < args.Length ? args[reportIndex + 1] : null;
var artifacts = Path.Combine(Path.GetTempPath(), "npsgrpc-bench-micro-" + Environment.ProcessId);

var job = (quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
var config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddExporter(MarkdownExporter.GitHub)
    .WithArtifactsPath(artifacts);
var summary = BenchmarkRunner.Run<HotPaths>(config);

if (report is not null)
{
    var github = Directory.GetFiles(summary.ResultsDirectoryPath, "*-report-github.md").Single();
    File.Copy(github, report, overwrite: true);
}

Directory.Delete(artifacts, recursive: true);
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
