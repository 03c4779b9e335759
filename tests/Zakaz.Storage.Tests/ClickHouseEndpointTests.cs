using Zakaz.Storage.Http;

namespace Zakaz.Storage.Tests;

public sealed class ClickHouseEndpointTests
{
    [Fact]
    public void A_url_without_a_password_takes_the_configured_one_and_a_url_with_one_keeps_its_own()
    {
        var withoutPassword = ClickHouseEndpoint.From(new StorageOptions { Url = "http://zakaz@db:8123/zakaz", Password = "from-file" });
        var withPassword = ClickHouseEndpoint.From(new StorageOptions { Url = "http://zakaz:in%40url@db:8123/zakaz", Password = "from-file" });

        Assert.Equal(("zakaz", "from-file"), (withoutPassword.User, withoutPassword.Password));
        Assert.Equal(("zakaz", "in@url"), (withPassword.User, withPassword.Password));
        Assert.Equal("http://zakaz@db:8123/zakaz", withoutPassword.Display);
    }
}
