using NpsGrpc.Core.FollowUps;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Redis.FollowUps;
using NpsGrpc.Server.FollowUps;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>What the follow-up scripts are given, and how often the pump polls: no Redis needed.</summary>
public sealed class FollowUpScriptArgumentsTests
{
    [Fact]
    public void Settings_are_kept_in_one_canonical_string_the_scripts_read_and_that_reads_back()
    {
        var settings = new FollowUpGroupSettings([ScoreCategory.Promoter, ScoreCategory.Detractor, ScoreCategory.Promoter], true, TimeSpan.FromSeconds(90));

        var encoded = FollowUpScripts.Encode(settings);

        Assert.Equal("1,3|1|90000", encoded);
        Assert.Equal(settings, FollowUpScripts.Decode(encoded));
        Assert.Equal("1|0|300000", FollowUpScripts.Encode(new FollowUpGroupSettings([], false, FollowUpGroupSettings.DefaultVisibilityTimeout)));
        Assert.Throws<FormatException>(() => FollowUpScripts.Decode("1|yes|300000"));
    }

    [Fact]
    public void A_group_starts_after_the_last_entry_now_or_just_before_the_first_millisecond_of_its_start_time()
    {
        Assert.Equal("$", FollowUpScripts.StartAfter(null));
        Assert.Equal("1699999999999-18446744073709551615", FollowUpScripts.StartAfter(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000).AddTicks(5)));
        Assert.Equal("0-0", FollowUpScripts.StartAfter(DateTimeOffset.MinValue));
    }

    [Fact]
    public void The_pump_polls_again_at_once_while_more_waits_and_otherwise_backs_off_to_its_longest_pause()
    {
        var pause = FollowUpPump.NextPause(TimeSpan.Zero, first: true, leased: false, moreWithRoom: false);
        Assert.Equal(TimeSpan.Zero, pause);
        Assert.Equal(TimeSpan.Zero, FollowUpPump.NextPause(FollowUpPump.MaxPause, first: false, leased: true, moreWithRoom: true));
        Assert.Equal(FollowUpPump.MinPause, FollowUpPump.NextPause(FollowUpPump.MaxPause, first: false, leased: true, moreWithRoom: false));

        var idle = new List<TimeSpan>();
        for (var round = 0; round < 6; round++)
        {
            pause = FollowUpPump.NextPause(pause, first: false, leased: false, moreWithRoom: false);
            idle.Add(pause);
        }

        Assert.Equal([50, 100, 200, 400, 500, 500], idle.Select(p => p.TotalMilliseconds));
    }
}
