using NpsGrpc.Core.FollowUps;

namespace NpsGrpc.Core.Tests.FollowUps;

public class OutstandingBudgetTests
{
    [Fact]
    public void The_shares_never_exceed_what_the_worker_may_still_take()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var count = random.Next(1, 20);
            var max = random.Next(1, 200);
            var pending = Enumerable.Range(0, count).Select(_ => random.Next(0, 1 + (max / count))).ToArray();
            var more = Enumerable.Range(0, count).Select(_ => random.Next(2) == 0).ToArray();

            var shares = OutstandingBudget.Shares(max, pending, more, random.Next());

            Assert.All(shares, share => Assert.True(share >= 0));
            Assert.Equal(Math.Max(0, max - pending.Sum()), shares.Sum());
        }
    }

    [Fact]
    public void A_worker_that_holds_all_it_may_gets_no_share()
    {
        Assert.Equal([0, 0, 0], OutstandingBudget.Shares(10, [4, 6, 0], [true, true, true], 0));
        Assert.Equal([0, 0], OutstandingBudget.Shares(3, [5, 0], [false, true], 0));
    }

    [Fact]
    public void A_product_with_more_waiting_takes_the_rest_while_each_other_product_keeps_one()
    {
        var shares = OutstandingBudget.Shares(100, [0, 0, 0, 0], [false, false, true, false], 0);

        Assert.Equal([1, 1, 97, 1], shares);
    }

    [Fact]
    public void With_more_waiting_nowhere_the_room_is_split_evenly()
    {
        Assert.Equal([4, 3, 3], OutstandingBudget.Shares(10, [0, 0, 0], [false, false, false], 0));
    }

    [Fact]
    public void With_less_room_than_products_the_rotation_moves_the_shares_round_so_every_product_gets_its_turn()
    {
        var given = new int[5];
        for (var round = 0; round < 5; round++)
        {
            var shares = OutstandingBudget.Shares(2, [0, 0, 0, 0, 0], [false, false, false, false, false], round);
            Assert.Equal(2, shares.Sum());
            for (var i = 0; i < shares.Length; i++)
            {
                given[i] += shares[i];
            }
        }

        Assert.Equal([2, 2, 2, 2, 2], given);
    }

    [Fact]
    public void Products_with_more_waiting_come_first_when_there_is_less_room_than_products()
    {
        Assert.Equal([0, 1, 0, 1], OutstandingBudget.Shares(2, [0, 0, 0, 0], [false, true, false, true], 0));
    }
}
