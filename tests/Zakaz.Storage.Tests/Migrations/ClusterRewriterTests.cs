using Zakaz.Storage.Migrations;

namespace Zakaz.Storage.Tests.Migrations;

public sealed class ClusterRewriterTests
{
    private const string Path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

    private readonly ClusterRewriter _rewriter = new("main");

    [Theory]
    [InlineData("CREATE DATABASE zakaz", "CREATE DATABASE zakaz ON CLUSTER main")]
    [InlineData("CREATE DATABASE IF NOT EXISTS bi", "CREATE DATABASE IF NOT EXISTS bi ON CLUSTER main")]
    [InlineData("create database if not exists `bi` engine = Atomic", "create database if not exists `bi` ON CLUSTER main engine = Atomic")]
    [InlineData("CREATE TABLE zakaz.t (x UInt8) ENGINE = Memory", "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8) ENGINE = Memory")]
    [InlineData("CREATE VIEW bi.v AS SELECT 1", "CREATE VIEW bi.v ON CLUSTER main AS SELECT 1")]
    [InlineData("CREATE OR REPLACE VIEW bi.v AS SELECT 1", "CREATE OR REPLACE VIEW bi.v ON CLUSTER main AS SELECT 1")]
    [InlineData("CREATE VIEW IF NOT EXISTS \"bi\".\"v\" AS SELECT 1", "CREATE VIEW IF NOT EXISTS \"bi\".\"v\" ON CLUSTER main AS SELECT 1")]
    [InlineData("CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv TO zakaz.t AS SELECT 1 AS x", "CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv ON CLUSTER main TO zakaz.t AS SELECT 1 AS x")]
    [InlineData("CREATE DICTIONARY zakaz.d (id UInt64) PRIMARY KEY id", "CREATE DICTIONARY zakaz.d ON CLUSTER main (id UInt64) PRIMARY KEY id")]
    [InlineData("CREATE ROLE IF NOT EXISTS reader", "CREATE ROLE IF NOT EXISTS reader ON CLUSTER main")]
    [InlineData("CREATE ROLE OR REPLACE reader, writer", "CREATE ROLE OR REPLACE reader, writer ON CLUSTER main")]
    [InlineData("CREATE USER IF NOT EXISTS bi_user@'%' IDENTIFIED WITH sha256_password BY 'x'", "CREATE USER IF NOT EXISTS bi_user@'%' ON CLUSTER main IDENTIFIED WITH sha256_password BY 'x'")]
    [InlineData("ALTER TABLE zakaz.t ADD COLUMN y String", "ALTER TABLE zakaz.t ON CLUSTER main ADD COLUMN y String")]
    [InlineData("DROP TABLE IF EXISTS zakaz.t", "DROP TABLE IF EXISTS zakaz.t ON CLUSTER main")]
    [InlineData("GRANT SELECT ON bi.* TO reader", "GRANT ON CLUSTER main SELECT ON bi.* TO reader")]
    [InlineData("REVOKE SELECT ON bi.* FROM reader", "REVOKE ON CLUSTER main SELECT ON bi.* FROM reader")]
    public void Ddl_gets_on_cluster_after_the_object_name(string statement, string expected) =>
        Assert.Equal(expected, _rewriter.Rewrite(statement));

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS zakaz.t (x UInt8) ENGINE = MergeTree ORDER BY x",
        "CREATE TABLE IF NOT EXISTS zakaz.t ON CLUSTER main (x UInt8) ENGINE = ReplicatedMergeTree(" + Path + ") ORDER BY x")]
    [InlineData("CREATE TABLE zakaz.t(x UInt8) ENGINE = MergeTree() ORDER BY x",
        "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8) ENGINE = ReplicatedMergeTree(" + Path + ") ORDER BY x")]
    [InlineData("CREATE TABLE zakaz.t (x UInt8, _ver UInt64) ENGINE = ReplacingMergeTree(_ver) ORDER BY x",
        "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8, _ver UInt64) ENGINE = ReplicatedReplacingMergeTree(" + Path + ", _ver) ORDER BY x")]
    [InlineData("CREATE TABLE zakaz.t (x UInt8, n UInt64) ENGINE=SummingMergeTree( (n) ) ORDER BY x",
        "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8, n UInt64) ENGINE=ReplicatedSummingMergeTree(" + Path + ", (n)) ORDER BY x")]
    [InlineData("CREATE TABLE zakaz.t (x UInt8) ENGINE = AggregatingMergeTree ORDER BY x",
        "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8) ENGINE = ReplicatedAggregatingMergeTree(" + Path + ") ORDER BY x")]
    [InlineData("CREATE TABLE zakaz.t (x UInt8, sign Int8) ENGINE = CollapsingMergeTree(sign) ORDER BY x",
        "CREATE TABLE zakaz.t ON CLUSTER main (x UInt8, sign Int8) ENGINE = ReplicatedCollapsingMergeTree(" + Path + ", sign) ORDER BY x")]
    [InlineData("CREATE MATERIALIZED VIEW zakaz.mv ENGINE = MergeTree ORDER BY x AS SELECT 1 AS x",
        "CREATE MATERIALIZED VIEW zakaz.mv ON CLUSTER main ENGINE = ReplicatedMergeTree(" + Path + ") ORDER BY x AS SELECT 1 AS x")]
    public void MergeTree_engines_become_replicated(string statement, string expected) =>
        Assert.Equal(expected, _rewriter.Rewrite(statement));

    [Theory]
    [InlineData("INSERT INTO zakaz.t SELECT 'CREATE TABLE x ENGINE = MergeTree'")]
    [InlineData("SELECT 1 -- ENGINE = MergeTree\n")]
    [InlineData("CREATE TEMPORARY TABLE t (x UInt8) ENGINE = Memory")]
    [InlineData("CREATE TABLE zakaz.t ON CLUSTER other (x UInt8) ENGINE = ReplicatedMergeTree('/p', 'r') ORDER BY x")]
    [InlineData("GRANT ON CLUSTER other SELECT ON bi.* TO reader")]
    public void Statements_without_cluster_ddl_outside_literals_and_comments_stay_as_they_are(string statement) =>
        Assert.Equal(statement, _rewriter.Rewrite(statement));

    [Fact]
    public void A_cluster_name_that_is_not_an_identifier_is_written_as_a_string() =>
        Assert.Equal("CREATE DATABASE a ON CLUSTER 'prod-1'", new ClusterRewriter("prod-1").Rewrite("CREATE DATABASE a"));
}
