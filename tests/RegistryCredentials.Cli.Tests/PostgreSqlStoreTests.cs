using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary><c>--store</c> / <c>REGCRED_STORE</c> with a PostgreSQL connection string.</summary>
[TestFixture]
[Category("PostgreSql")]
public sealed class PostgreSqlStoreTests
{
    [Test]
    public async Task A_connection_string_selects_the_PostgreSQL_store_and_the_SQLite_file_is_never_created()
    {
        var server = await PostgreSqlServer.GetAsync();
        var connectionString = server.ConnectionString(await server.CreateDatabaseAsync());
        using var sandbox = new Sandbox();
        sandbox.Environment.Remove("REGCRED_STORE");

        var add = await sandbox.RunWithPasswordAsync(
            "pg-secret-1",
            "--store",
            connectionString,
            "registry",
            "add",
            "registry.example.com",
            "--username",
            "fleet",
            "--validate=false");
        sandbox.Environment["REGCRED_STORE"] = connectionString;
        var list = await sandbox.RunAsync("registry", "list", "-o", "json");
        var get = await sandbox.RunAsync(["helper", "get"], "registry.example.com\n");
        var rows = await server.ScalarAsync<long>("SELECT count(*) FROM registry_credentials.entries", connectionString.Split("Database=")[1].Split(';')[0]);

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Zero, add.ToString());
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            Assert.That(Json.Parse(list.Stdout)[0].Text("registry_user"), Is.EqualTo("fleet"));
            Assert.That(get.Stdout, Is.EqualTo("{\"ServerURL\":\"registry.example.com\",\"Username\":\"fleet\",\"Secret\":\"pg-secret-1\"}\n"));
            Assert.That(Directory.Exists(Path.Combine(sandbox.Home, ".local", "share", "regcred")), Is.False, "the default SQLite store stays untouched");
            Assert.That(rows, Is.EqualTo(1));
        });
        sandbox.AssertNeverPrinted("pg-secret-1", get);
        sandbox.AssertNeverPrinted(server.Password);
    }
}
