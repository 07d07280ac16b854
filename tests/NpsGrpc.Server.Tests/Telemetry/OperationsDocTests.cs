using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NpsGrpc.Core.Telemetry;
using NpsGrpc.Testing;

namespace NpsGrpc.Server.Tests.Telemetry;

/// <summary>docs/operations.md against the code: its table of instruments, and the contract names the metrics use.</summary>
public sealed partial class OperationsDocTests
{
    [Fact]
    public void The_operations_doc_lists_exactly_the_instruments_the_meter_publishes_with_their_kind_and_unit()
    {
        var documented = InstrumentRow().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "operations.md")))
            .Select(row => $"{row.Groups["name"].Value} {row.Groups["kind"].Value} {row.Groups["unit"].Value}")
            .ToList();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == NpsMetrics.MeterName)
                {
                    published.Add($"{instrument.Name} {KindOf(instrument)} {instrument.Unit}");
                }
            },
        };
        listener.Start();

        _ = new NpsMetrics(factory);

        Assert.Equal(published.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    [Fact]
    public void Every_attribute_value_taken_from_the_contract_is_the_contracts_name_for_that_value()
    {
        // The domain's enums leave out the contract's _UNSPECIFIED = 0 where the contract has one the domain does not.
        AssertNames(NpsMetrics.OutcomeNames, V1.ResponseOutcome.Counted, offset: 1);
        AssertNames(NpsMetrics.ReasonNames, V1.RejectionReason.InvalidProductId, offset: 1);
        AssertNames(NpsMetrics.FollowUpOutcomeNames, V1.FollowUpOutcome.Contacted, offset: 0);
        // Taken (0) is no problem: only the others are ever an attribute value.
        AssertNames(
            [null, .. NpsMetrics.AcknowledgementProblemNames.Skip((int)Core.FollowUps.AcknowledgementResult.Taken + 1)], V1.AcknowledgementProblem.Unknown, offset: 0);
    }

    private static void AssertNames<TContract>(IReadOnlyList<string?> names, TContract anyValue, int offset)
        where TContract : struct, Enum
    {
        var descriptor = NpsGrpc.V1.NpsReflection.Descriptor.EnumTypes.Single(type => type.ClrType == anyValue.GetType());
        var expected = descriptor.Values.Where(value => value.Number > 0).Select(value => value.Name);
        var actual = names.Select((name, domain) => (name, number: domain + offset)).Where(pair => pair.name is not null && pair.number > 0);
        Assert.All(actual, pair => Assert.Equal(descriptor.FindValueByNumber(pair.number)?.Name, pair.name));
        Assert.Equal(expected, actual.Select(pair => pair.name));
    }

    private static string KindOf(Instrument instrument) => instrument.GetType().GetGenericTypeDefinition() switch
    {
        var t when t == typeof(Counter<>) => "counter",
        var t when t == typeof(UpDownCounter<>) => "up-down counter",
        var t when t == typeof(Histogram<>) => "histogram",
        var t when t == typeof(ObservableGauge<>) => "gauge",
        var t => t.Name,
    };

    /// <summary>A row of the instruments table: | `name` | kind | `unit` | ...</summary>
    [GeneratedRegex(@"^\| `(?<name>[a-z_.]+)` \| (?<kind>[a-z -]+) \| `(?<unit>[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex InstrumentRow();
}
