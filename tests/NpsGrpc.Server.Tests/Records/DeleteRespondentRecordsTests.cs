using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.Records;

/// <summary>DeleteRespondentRecords through the server, over records written in the documented layout (RecordSeeder).</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class DeleteRespondentRecordsTests(ScoringServerFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Erasing_a_respondent_on_several_products_removes_all_its_records_there_and_nobody_elses()
    {
        var db = await fixture.Redis.AdminAsync();
        var products = Enumerable.Range(0, 6).Select(i => UniqueProduct($"erase{i}")).ToList();
        var kept = new Dictionary<string, string>();
        foreach (var product in products)
        {
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1) { Respondent = "hana", Comment = "slow" });
            await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon.AddDays(1), 9) { Respondent = "hana", Replaced = true });
            kept[product] = await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 2) { Respondent = "ola", Comment = "slow too" });
        }

        var erased = await fixture.Client.DeleteRespondentRecordsAsync(new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { products.Take(4) } });

        Assert.Equal(8, erased.DeletedRecordCount);
        foreach (var product in products)
        {
            var left = (await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records;
            var expected = products.IndexOf(product) < 4 ? ["ola"] : new[] { "hana", "hana", "ola" };
            Assert.Equal(expected, left.Select(record => record.RespondentId).Order());
            Assert.Contains(left, record => record.RecordId == kept[product]);
        }
    }

    [Fact]
    public async Task Erasing_again_erases_nothing()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("erase-again");
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1) { Respondent = "hana" });
        var request = new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { product } };

        var first = await fixture.Client.DeleteRespondentRecordsAsync(request);
        var second = await fixture.Client.DeleteRespondentRecordsAsync(request);

        Assert.Equal((1L, 0L), (first.DeletedRecordCount, second.DeletedRecordCount));
    }

    [Fact]
    public async Task A_bad_respondent_and_repeated_or_bad_products_are_INVALID_ARGUMENT_and_erase_nothing()
    {
        var db = await fixture.Redis.AdminAsync();
        var product = UniqueProduct("erase-bad");
        await RecordSeeder.AddAsync(db, product, new SeedRecord(Noon, 1) { Respondent = "hana" });

        var exception = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.DeleteRespondentRecordsAsync(
            new DeleteRespondentRecordsRequest { RespondentId = "hana", ProductIds = { product, "x y", product } }).ResponseAsync);
        var noProducts = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.DeleteRespondentRecordsAsync(
            new DeleteRespondentRecordsRequest { RespondentId = "h{a}na" }).ResponseAsync);

        Assert.Equal(["product_ids[1]", "product_ids[2]"], StatusAssertions.FieldViolations(exception).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["product_ids", "respondent_id"], StatusAssertions.FieldViolations(noProducts).Keys.Order(StringComparer.Ordinal));
        Assert.Single((await fixture.Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records);
    }
}
