using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Sandbox.Tests;

[Collection(ClickHouseServerCollection.Name)]
public sealed class ClickHouseClientToolTests(ClickHouseServerFixture fixture)
{
    private LocalClickHouseServer Server => fixture.Server;

    [Fact]
    public async Task Inserts_a_row_binary_file_through_the_native_port()
    {
        var client = ClickHouseClientTool.Find();
        string table = "client_insert_" + Guid.NewGuid().ToString("N");
        await client.RunAsync(Server, $"CREATE TABLE {table} (id UInt32, name String) ENGINE = Memory");
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [
                1, 0, 0, 0, 3, (byte)'o', (byte)'n', (byte)'e',
                2, 0, 0, 0, 3, (byte)'t', (byte)'w', (byte)'o',
            ]);

            TimeSpan elapsed = await client.InsertFileAsync(Server, $"INSERT INTO {table} FORMAT RowBinary", file);

            Assert.True(elapsed > TimeSpan.Zero);
            ClickHouseClientRun select = await client.RunAsync(Server, $"SELECT id, name FROM {table} ORDER BY id");
            Assert.Equal("1\tone\n2\ttwo\n", select.Output);
        }
        finally
        {
            File.Delete(file);
            await client.RunAsync(Server, $"DROP TABLE {table}");
        }
    }

    [Fact]
    public async Task Failing_query_throws_with_the_server_error()
    {
        var client = ClickHouseClientTool.Find();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.RunAsync(Server, "SELECT * FROM no_such_table"));

        Assert.Contains("Code: 60", error.Message);
    }

    [Fact]
    public async Task Missing_input_file_is_reported_before_running()
    {
        var client = ClickHouseClientTool.Find();

        await Assert.ThrowsAsync<FileNotFoundException>(
            () => client.InsertFileAsync(Server, "INSERT INTO t FORMAT RowBinary", "/nonexistent/rows.bin"));
    }
}
