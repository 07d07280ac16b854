using BenchmarkDotNet.Attributes;
using NpsGrpc.Bench.Workloads;
using Google.Protobuf;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Redis;
using NpsGrpc.Server.Services;
using NpsGrpc.V1;

namespace NpsGrpc.Bench.Micro;

/// <summary>
/// What the server does to every batch before Redis: map the request to the domain, validate and fold the
/// responses into per-product increments, and build each product's script arguments. One operation is one batch of 1000.
/// </summary>
[MemoryDiagnoser]
public class HotPaths
{
    private static readonly DayRetention Retention = new(DayRetention.DefaultRetention);
    private static readonly RedisKeyLayout Layout = new("nps");

    private byte[] _wire = null!;
    private SubmitResponsesRequest _request = null!;
    private SurveyAnswer[] _answers = null!;
    private FoldContext _context = null!;
    private FoldedBatch _folded = null!;
    private WriterStamp _writer;

    /// <summary>hot: one product, no segments (scenario 1); mix: the realistic mix of scenario 2.</summary>
    [Params("hot", "mix")]
    public string Workload { get; set; } = "hot";

    [GlobalSetup]
    public void Setup()
    {
        var responses = Workload == "hot"
            ? Workloads.Workload.HotProduct("hot", 1000, 1)[0]
            : Workloads.Workload.RealisticMix("p", 1000, 1000, 1)[0];
        // Parsed from bytes, as the server receives it.
        _wire = responses.Bytes;
        _request = SubmitResponsesRequest.Parser.ParseFrom(_wire);
        _context = new FoldContext(DateTimeOffset.UtcNow, Retention);
        _answers = ProtoMapping.ToAnswers(_request.Responses);
        _folded = BatchFolder.Fold(_answers, _context);
        _writer = new WriterStamp("bench-writer", 42);
    }

    [Benchmark]
    public SubmitResponsesRequest ParseRequest() => SubmitResponsesRequest.Parser.ParseFrom(_wire);

    [Benchmark]
    public SurveyAnswer[] MapToAnswers() => ProtoMapping.ToAnswers(_request.Responses);

    [Benchmark]
    public int Validate()
    {
        var rejected = 0;
        for (var i = 0; i < _answers.Length; i++)
        {
            rejected += ResponseValidator.Validate(_answers[i], i, _context) is null ? 0 : 1;
        }

        return rejected;
    }

    [Benchmark]
    public FoldedBatch Fold() => BatchFolder.Fold(_answers, _context);

    [Benchmark]
    public int ScriptArguments()
    {
        var size = 0;
        foreach (var product in _folded.Products)
        {
            // Respondents answering for the first time: no earlier state to declare.
            size += Scripts.ApplyArguments(Layout, [(_writer, 0)], product, new RespondentState?[product.RespondentAnswers.Count], 604_800_000, Retention).Args.Length;
        }

        return size;
    }

    [Benchmark]
    public byte[] BuildAck()
    {
        var applied = new ApplyOutcome(_folded.Products.Count, 0, null);
        return ProtoMapping.ToAck(42, _folded, applied, BatchOutcomes.Resolve(_folded, applied)).ToByteArray();
    }
}
