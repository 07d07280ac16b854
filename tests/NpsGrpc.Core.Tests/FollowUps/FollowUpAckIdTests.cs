using System.Buffers.Text;
using System.Text;
using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.FollowUps;

public class FollowUpAckIdTests
{
    [Fact]
    public void An_ack_id_reads_back_as_the_delivery_it_names()
    {
        var id = new FollowUpAckId("shop.eu:app-1", "care_team", new StreamEntryId(1796197472265, 3), "worker-7", 12);

        Assert.True(FollowUpAckId.TryParse(id.Encode(), out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void The_longest_ack_id_stays_within_the_512_characters_of_the_contract()
    {
        var longest = new FollowUpAckId(
            new string('p', Identifier.MaxIdLength), new string('g', FollowUpNames.MaxLength), new StreamEntryId(ulong.MaxValue, ulong.MaxValue), new string('c', FollowUpNames.MaxLength), int.MaxValue);

        var encoded = longest.Encode();

        Assert.Equal(FollowUpAckId.MaxEncodedLength, encoded.Length);
        Assert.InRange(encoded.Length, 1, 512);
        Assert.True(FollowUpAckId.TryParse(encoded, out var parsed));
        Assert.Equal(longest, parsed);
    }

    public static TheoryData<string?> NotIssued => new()
    {
        null,
        string.Empty,
        "not-an-ack-id",
        "a",
        "!!!!",
        new string('A', 600),
        Encode("f1|p|g|1-0|c"),
        Encode("f2|p|g|1-0|c|1"),
        Encode("f1|p|g|1-0|c|0"),
        Encode("f1|p|g|1-0|c|-1"),
        Encode("f1|p|g|1|c|1"),
        Encode("f1|p|g|-1-0|c|1"),
        Encode("f1|p|g|1-x|c|1"),
        Encode("f1|p{x}|g|1-0|c|1"),
        Encode("f1||g|1-0|c|1"),
        Encode("f1|p|g g|1-0|c|1"),
        Encode($"f1|p|{new string('g', 65)}|1-0|c|1"),
        Encode("f1|p|g|1-0|c|1|extra"),
        Encode("f1|p|g|99999999999999999999-0|c|1"),
        Base64Url.EncodeToString([0x66, 0x31, 0x7C, 0xFF, 0xFE]),
    };

    [Theory]
    [MemberData(nameof(NotIssued))]
    public void Text_the_server_never_issues_names_no_delivery(string? text)
    {
        Assert.False(FollowUpAckId.TryParse(text, out _));
    }

    [Fact]
    public void Stream_entry_ids_order_by_milliseconds_then_sequence()
    {
        string[] written = ["10-2", "9-5", "10-0", "0-0", "10-10"];
        var ids = written.Select(StreamEntryId.Parse).Order().Select(id => id.ToString());

        Assert.Equal(["0-0", "9-5", "10-0", "10-2", "10-10"], ids);
        Assert.True(StreamEntryId.Parse("9-5") < StreamEntryId.Parse("10-0"));
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
