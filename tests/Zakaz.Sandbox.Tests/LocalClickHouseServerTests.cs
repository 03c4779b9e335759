using System.Net;
using System.Net.Sockets;
using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Sandbox.Tests;

[Collection(ClickHouseServerCollection.Name)]
public sealed class LocalClickHouseServerTests(ClickHouseServerFixture fixture)
{
    private LocalClickHouseServer Server => fixture.Server;

    [Fact]
    public async Task Ping_answers_ok()
    {
        string body = await fixture.Http.GetStringAsync(new Uri(Server.Url, "ping"));

        Assert.Equal("Ok.\n", body);
    }

    [Fact]
    public async Task Default_user_runs_select_without_password()
    {
        using var content = new StringContent("SELECT 1");
        using HttpResponseMessage response = await fixture.Http.PostAsync(Server.Url, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Password_user_runs_select_and_reports_the_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.Url)
        {
            Content = new StringContent("SELECT version()"),
        };
        request.Headers.Add("X-ClickHouse-User", Server.User);
        request.Headers.Add("X-ClickHouse-Key", Server.Password);
        using HttpResponseMessage response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{Server.Version}\n", await response.Content.ReadAsStringAsync());
        Assert.Matches(@"^\d+\.\d+", Server.Version);
    }

    [Fact]
    public async Task Wrong_password_is_rejected_with_401_and_code_193()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.Url)
        {
            Content = new StringContent("SELECT 1"),
        };
        request.Headers.Add("X-ClickHouse-User", Server.User);
        request.Headers.Add("X-ClickHouse-Key", Server.Password + "-wrong");
        using HttpResponseMessage response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Code: 193", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Renders_date_times_in_utc_whatever_the_machine_time_zone()
    {
        using var content = new StringContent("SELECT toString(toDateTime(86400))");
        using HttpResponseMessage response = await fixture.Http.PostAsync(Server.Url, content);

        Assert.Equal("1970-01-02 00:00:00\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Listens_on_loopback_ports_and_keeps_its_files_in_its_own_directory()
    {
        Assert.Equal($"http://127.0.0.1:{Server.HttpPort}/", Server.Url.ToString());
        Assert.NotEqual(Server.HttpPort, Server.TcpPort);
        Assert.StartsWith(Path.GetTempPath(), Server.DirectoryPath);
        Assert.True(File.Exists(Path.Combine(Server.DirectoryPath, "config.xml")));
        Assert.True(Directory.Exists(Path.Combine(Server.DirectoryPath, "data")));
    }

    [Fact]
    public async Task Native_port_accepts_connections()
    {
        using var client = new TcpClient();

        await client.ConnectAsync(IPAddress.Loopback, Server.TcpPort);

        Assert.True(client.Connected);
    }
}
