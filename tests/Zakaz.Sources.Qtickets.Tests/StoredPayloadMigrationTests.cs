using System.Text.Json.Nodes;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;
using Zakaz.Testing;

namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>Migration 0014 over payloads an earlier version stored with the buyer's ids in them.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class StoredPayloadMigrationTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_migration_takes_every_id_of_a_person_out_of_stored_payloads_and_keeps_the_rest()
    {
        var order = Fixtures.Order(Fixtures.Json("order_single.json").GetProperty("data").GetRawText());
        var row = new OrderMapper(Fixtures.BuyerKeySecret).Map(order, Fixtures.Stamp).Order;
        var clean = JsonNode.Parse(row.PayloadJson)!.AsObject();
        // What the earlier scrubber kept: the client id twice, the accounts behind the order, the visitor id,
        // and the same in a nested exchange order of a webhook.
        var stored = JsonNode.Parse(row.PayloadJson)!.AsObject();
        stored.Insert(1, "client_id", 700002);
        stored.Insert(2, "client", new JsonObject { ["id"] = 700002 });
        stored["basket_user_id"] = 6100002;
        stored["backend_user_id"] = null;
        stored["integrations"] = new JsonObject { ["roistat"] = new JsonObject { ["roistat_visit"] = "734512" } };
        stored["secondary_orders"] = new JsonArray(new JsonObject { ["id"] = 43, ["client_id"] = 700002, ["client"] = new JsonObject { ["id"] = 700002 }, ["basket_user_id"] = 6100002, ["price"] = 100.5 });
        var untouched = row with { OrderId = row.OrderId + 1 };
        await schema.Store.InsertAsync(QticketsTables.Orders, QticketsTables.OrderSchema, [row with { PayloadJson = stored.ToJsonString() }, untouched]);

        foreach (var statement in MigrationSet.Embedded().Migrations.Single(m => m.Version == 14).Statements)
        {
            await schema.Store.ExecuteAsync(statement.Text);
        }
        var payloads = await schema.Store.QueryAsync("SELECT order_id, payload_json FROM zakaz.stg_qtickets_api_orders_raw ORDER BY order_id");

        clean["secondary_orders"] = new JsonArray(new JsonObject { ["id"] = 43, ["price"] = 100.5 });
        Assert.True(JsonNode.DeepEquals(clean, JsonNode.Parse(payloads.Get<string>(0, 1))), payloads.Get<string>(0, 1));
        Assert.DoesNotContain("700002", payloads.Get<string>(0, 1), StringComparison.Ordinal);
        Assert.Equal(untouched.PayloadJson, payloads.Get<string>(1, 1));
    }
}
