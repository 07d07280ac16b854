using NpsGrpc.Core.Ingestion;

namespace NpsGrpc.Core.Tests.Ingestion;

public class SubmitBatchValidatorTests
{
    private const int Max = IngestionLimits.MaxResponsesPerBatch;

    [Fact]
    public void A_batch_at_the_limit_without_a_writer_is_valid() =>
        Assert.Empty(SubmitBatchValidator.Validate(string.Empty, 0, Max, Max));

    [Fact]
    public void More_than_the_maximum_responses_is_a_violation_on_responses()
    {
        var violations = SubmitBatchValidator.Validate(string.Empty, 0, Max + 1, Max);

        var violation = Assert.Single(violations);
        Assert.Equal("responses", violation.Field);
        Assert.Contains("at most 1000", violation.Description, StringComparison.Ordinal);
        Assert.Contains("got 1001", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limit_passed_in_is_the_one_enforced()
    {
        Assert.Empty(SubmitBatchValidator.Validate(string.Empty, 0, 5, 5));
        Assert.Equal("responses", Assert.Single(SubmitBatchValidator.Validate(string.Empty, 0, 6, 5)).Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void A_writer_id_without_a_positive_sequence_is_a_violation_on_sequence(long sequence)
    {
        var violation = Assert.Single(SubmitBatchValidator.Validate("writer-1", sequence, 1, Max));

        Assert.Equal("sequence", violation.Field);
        Assert.Contains($"got {sequence}", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(long.MaxValue)]
    public void A_writer_id_with_a_positive_sequence_is_valid(long sequence) =>
        Assert.Empty(SubmitBatchValidator.Validate("writer-1", sequence, 1, Max));

    [Theory]
    [InlineData("writer 1")]
    [InlineData("{writer}")]
    public void An_invalid_writer_id_is_a_violation_on_writer_id(string writerId)
    {
        var violation = Assert.Single(SubmitBatchValidator.Validate(writerId, 1, 1, Max));

        Assert.Equal("writer_id", violation.Field);
        Assert.StartsWith("writer_id contains", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_id_of_129_characters_is_a_violation_on_writer_id()
    {
        var violation = Assert.Single(SubmitBatchValidator.Validate(new string('w', 129), 1, 1, Max));

        Assert.Equal("writer_id", violation.Field);
        Assert.Equal("writer_id is 129 characters long; at most 128 are allowed.", violation.Description);
    }

    [Fact]
    public void A_writer_id_of_128_characters_is_valid() =>
        Assert.Empty(SubmitBatchValidator.Validate(new string('w', 128), 1, 1, Max));

    [Fact]
    public void Several_problems_at_once_are_all_reported()
    {
        var violations = SubmitBatchValidator.Validate("bad writer", 0, Max + 1, Max);

        Assert.Equal(["responses", "writer_id", "sequence"], violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    [InlineData(42)]
    public void Without_a_writer_id_any_sequence_is_fine(long sequence) =>
        Assert.Empty(SubmitBatchValidator.Validate(string.Empty, sequence, 1, Max));

    [Fact]
    public void Without_a_writer_id_there_is_no_stamp() =>
        Assert.Null(SubmitBatchValidator.StampOf(string.Empty, 7));

    [Fact]
    public void With_a_writer_id_the_stamp_carries_the_writer_and_sequence() =>
        Assert.Equal(new WriterStamp("writer-1", 7), SubmitBatchValidator.StampOf("writer-1", 7));
}
