using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Records;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.FollowUps;

public class FollowUpAcknowledgementTests
{
    private static readonly string AckId = new FollowUpAckId("p", "g", new StreamEntryId(5, 1), "c", 1).Encode();

    [Fact]
    public void Acknowledgements_with_an_ack_id_an_outcome_and_an_optional_note_parse_with_the_note_normalised()
    {
        var violations = new List<FieldViolation>();

        var parsed = FollowUpAcknowledgement.TryParseAll([(AckId, 2, "called\tback\n"), (AckId, 5, string.Empty)], violations);

        Assert.Empty(violations);
        Assert.Equal([FollowUpOutcome.Resolved, FollowUpOutcome.Escalated], parsed!.Select(ack => ack.Outcome));
        Assert.Equal("called\tback\n", parsed![0].Note);
        Assert.Equal(new StreamEntryId(5, 1), parsed[1].AckId.Entry);
    }

    [Fact]
    public void Every_bad_field_is_named_by_its_position()
    {
        var violations = new List<FieldViolation>();

        var parsed = FollowUpAcknowledgement.TryParseAll(
            [(AckId, 1, string.Empty), ("not-an-ack-id", 1, string.Empty), (AckId, 0, string.Empty), (AckId, 1, "bad\0note"), (AckId, 1, new string('x', 2001)), (string.Empty, 42, "\uD800")],
            violations);

        Assert.Null(parsed);
        Assert.Equal(
            ["acknowledgements[1].ack_id", "acknowledgements[2].outcome", "acknowledgements[3].note", "acknowledgements[4].note", "acknowledgements[5].ack_id", "acknowledgements[5].outcome", "acknowledgements[5].note"],
            violations.Select(violation => violation.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void No_acknowledgement_or_more_than_a_thousand_is_refused(int count)
    {
        var violations = new List<FieldViolation>();

        Assert.Null(FollowUpAcknowledgement.TryParseAll([.. Enumerable.Repeat((AckId, 1, string.Empty), count)], violations));
        Assert.Equal("acknowledgements", Assert.Single(violations).Field);
    }

    [Fact]
    public void A_note_of_two_thousand_code_points_outside_the_basic_plane_is_allowed_and_one_more_is_not()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 2000));

        Assert.Null(NoteText.Explain(emoji, "note", out _));
        Assert.Contains("2001 code points", NoteText.Explain(emoji + "x", "note", out _), StringComparison.Ordinal);
    }
}
