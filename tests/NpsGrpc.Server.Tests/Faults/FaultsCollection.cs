namespace NpsGrpc.Server.Tests.Faults;

/// <summary>
/// Fault tests kill processes, stall Redis and measure memory: they run one at a time, after the parallel tests, so
/// a kill lands where the test means it to and no other test's load shows in a memory sample.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "faults";
}
