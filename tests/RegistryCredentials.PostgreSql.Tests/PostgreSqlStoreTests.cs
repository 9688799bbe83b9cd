using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Npgsql;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql.Tests;

[TestFixture]
public sealed class PostgreSqlStoreTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<string> _databases = [];
    private PostgreSqlServer _server = null!;

    [SetUp]
    public async Task SetUpAsync() => _server = await PostgreSqlServer.GetAsync();

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        _disposables.Clear();
        foreach (var database in _databases)
        {
            await _server.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", "postgres");
        }

        _databases.Clear();
    }

    [Test]
    public async Task Stores_migrating_an_empty_database_at_once_all_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var database = await _server.CreateDatabaseAsync();
            _databases.Add(database);
            var stores = Enumerable.Range(0, 4).Select(_ => Store(database: database)).ToList();

            // Released together, so the migrations really overlap.
            using var go = new ManualResetEventSlim();
            var calls = stores.Select(store => Task.Run(async () =>
            {
                go.Wait();
                return await store.ListAsync(null);
            })).ToList();
            go.Set();
            var lists = await Task.WhenAll(calls);

            Assert.That(lists, Has.All.Empty);
            const string Versions = "registry_credentials.schema_version";
            Assert.That(await _server.ScalarAsync<long>($"SELECT count(*) FROM {Versions}", database), Is.EqualTo(Schema.LatestVersion));
            Assert.That(await _server.ScalarAsync<int>($"SELECT max(version) FROM {Versions}", database), Is.EqualTo(Schema.LatestVersion));
            await stores[0].AddAsync(Record("reg.example.com"));
            Assert.That(await stores[3].ListAsync(null), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task A_change_on_node_A_fires_node_B_within_a_second()
    {
        var schema = PostgreSqlServer.NewName("nodes_");
        var a = Store(schema);
        var b = Store(schema);
        await a.ListAsync(null);
        await b.ListAsync(null);
        var scope = RegistryScope.Parse("reg.example.com");

        foreach (var (name, change) in new (string, Func<Task>)[]
        {
            ("add", async () => await a.AddAsync(Record("reg.example.com"))),
            ("update", async () => await a.UpdateAsync(Record("reg.example.com", username: "v2"), 1)),
            ("delete", async () => await a.DeleteAsync(RegistryAccounts.Default, scope)),
        })
        {
            var token = b.Watch();
            var started = Stopwatch.StartNew();
            await change();
            var latency = await WaitAsync(token, TimeSpan.FromSeconds(1));
            TestContext.Out.WriteLine(
                $"{name}: node B signalled {latency.TotalMilliseconds:F1} ms after node A's call started ({started.Elapsed.TotalMilliseconds:F1} ms)");
        }

        Assert.That(await b.GetAsync(RegistryAccounts.Default, scope), Is.Null);
    }

    [Test]
    public async Task Disposal_closes_the_change_signal_and_watching_does_not_throw()
    {
        var store = Store(PostgreSqlServer.NewName("dispose_"));
        await store.ListAsync(null);
        var before = store.Watch();

        await store.DisposeAsync();

        // RegistryChangeSignal's rule: after disposal no token fires and taking one does not throw.
        IChangeToken? after = null;
        Assert.That(() => after = store.Watch(), Throws.Nothing);
        Assert.That(before.HasChanged, Is.False);
        Assert.That(after!.HasChanged, Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ListAsync(null));
    }

    [TestCase("scope", "https://reg.example.com", TestName = "A stored scope that does not parse")]
    [TestCase("type", "not a type!", TestName = "A stored type that does not parse")]
    public async Task A_row_that_holds_no_valid_entry_is_a_store_error_naming_it_and_is_left_alone(string column, string value)
    {
        var schema = PostgreSqlServer.NewName("unreadable_");
        var store = Store(schema);
        await store.AddAsync(Record("reg.example.com"));
        await _server.ExecuteAsync($"UPDATE {schema}.entries SET {column} = '{value}'");
        var row = $"SELECT account || '|' || scope || '|' || type || '|' || version || '|' || encode(protected_secret, 'hex') FROM {schema}.entries";
        var before = await _server.ScalarAsync<string>(row);

        var scope = column == "scope" ? value : "reg.example.com";
        var reads = new List<Func<Task>> { async () => await store.ListAsync(null), async () => await store.ListAsync(RegistryAccounts.Default) };
        if (column != "scope")
        {
            reads.Add(async () => await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse(scope)));
        }

        foreach (var read in reads)
        {
            var error = Assert.ThrowsAsync<PostgreSqlStoreException>(async () => await read());
            Assert.That(error!.IsTransient, Is.False);
            Assert.That(error.SqlState, Is.Null);
            Assert.That(error.Message, Does.StartWith($"The stored entry '{scope}' in account 'default' (schema '{schema}') cannot be read: "));
        }

        Assert.That(await _server.ScalarAsync<string>(row), Is.EqualTo(before), "the row is left as it was");
    }

    [Test]
    public async Task Node_B_resolver_sees_an_entry_added_on_node_A_within_a_second()
    {
        var schema = PostgreSqlServer.NewName("resolve_");
        await using var nodeA = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(), o => o.Schema = schema));

        // The nodes of a fleet share the secret protection key; here node B uses node A's protector.
        var protector = nodeA.GetRequiredService<ISecretProtector>();
        await using var nodeB = Node(services =>
        {
            services.AddSingleton(protector);
            services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(), o => o.Schema = schema);
        });
        var resolverB = nodeB.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolverB.ResolveAsync("reg.example.com/team/app:1")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        await nodeA.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com/team/*",
            Username = "ci",
            Password = "from-node-a",
            Validate = false,
        });

        var started = Stopwatch.StartNew();
        RegistryResolution resolution;
        while (!(resolution = await resolverB.ResolveAsync("reg.example.com/team/app:1")).HasCredential && started.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(5);
        }

        TestContext.Out.WriteLine($"node B resolved node A's entry after {started.Elapsed.TotalMilliseconds:F1} ms");
        Assert.That(resolution.HasCredential, Is.True, resolution.Message);
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo("from-node-a"));
    }

    [Test]
    public async Task A_schema_newer_than_this_package_is_refused_untouched()
    {
        var schema = PostgreSqlServer.NewName("newer_");
        var first = Store(schema);
        await first.AddAsync(Record("reg.example.com"));
        var future = Schema.LatestVersion + 1;
        await _server.ExecuteAsync($"INSERT INTO {schema}.schema_version (version, description) VALUES ({future}, 'from the future')");

        var later = Store(schema);
        var error = Assert.ThrowsAsync<PostgreSqlSchemaVersionException>(async () => await later.ListAsync(null));
        Assert.That(error!.DatabaseVersion, Is.EqualTo(future));
        Assert.That(error.SupportedVersion, Is.EqualTo(Schema.LatestVersion));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Message, Does.Contain(schema).And.Contain("upgrade"));
        Assert.ThrowsAsync<PostgreSqlSchemaVersionException>(async () => await later.AddAsync(Record("other.example.com")));
        Assert.That(await _server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.entries"), Is.EqualTo(1));
        Assert.That(await _server.ScalarAsync<int>($"SELECT max(version) FROM {schema}.schema_version"), Is.EqualTo(future));
    }

    [Test]
    public async Task The_secret_is_stored_only_as_the_protected_bytes()
    {
        var schema = PostgreSqlServer.NewName("canary_");
        var canary = "canary-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var node = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(), o => o.Schema = schema));
        await node.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com/team/*",
            Username = "ci-user",
            Password = canary,
            Email = "ops@example.com",
            Validate = false,
        });

        // The protector's bytes round-trip exactly, and decrypt to the password.
        var store = node.GetRequiredService<IRegistryStore>();
        var record = (await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team/*")))!;
        await using (var connection = new NpgsqlConnection(_server.ConnectionString(extra: "Pooling=false")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT protected_secret FROM {schema}.entries", connection);
            var raw = (byte[])(await command.ExecuteScalarAsync())!;
            Assert.That(raw, Is.EqualTo(record.ProtectedSecret.ToArray()));
            Assert.That(Contains(raw, Encoding.UTF8.GetBytes(canary)), Is.False);
        }

        var resolution = await node.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/team/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo(canary));

        // Nothing but the entry's non-secret fields and the protected bytes is stored.
        var columns = await _server.ColumnAsync(
            $"SELECT column_name::text FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'entries' ORDER BY ordinal_position");
        Assert.That(columns, Is.EqualTo(new[]
        {
            "account", "scope", "name", "type", "username", "email", "verify_tls", "insecure_http", "ca_certificates",
            "is_active", "created_on", "updated_on", "version", "protected_secret",
        }));
        var rowText = await _server.ScalarAsync<string>($"SELECT string_agg(t::text, '|') FROM {schema}.entries t");
        Assert.That(rowText, Does.Contain("ci-user").And.Contain("reg.example.com/team"));
        Assert.That(rowText, Does.Not.Contain(canary));
        Assert.That(rowText, Does.Not.Contain(Convert.ToHexString(Encoding.UTF8.GetBytes(canary)).ToLowerInvariant()));

        // And not in any file of the cluster: tables, indexes, WAL.
        await _server.ExecuteAsync("CHECKPOINT");
        var needles = new[] { Encoding.UTF8.GetBytes(canary), Encoding.Unicode.GetBytes(canary) };
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(_server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] content;
            try
            {
                content = await File.ReadAllBytesAsync(file);
            }
            catch (IOException)
            {
                continue;
            }

            scanned++;
            foreach (var needle in needles)
            {
                Assert.That(Contains(content, needle), Is.False, $"the password was found in clear in {file}");
            }
        }

        Assert.That(scanned, Is.GreaterThan(100));
    }

    [Test]
    public async Task UsePostgreSqlStore_gives_a_working_manager_and_resolver()
    {
        var database = await _server.CreateDatabaseAsync();
        _databases.Add(database);
        await using var node = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(database)));

        Assert.That(node.GetRequiredService<IRegistryStore>(), Is.InstanceOf<PostgreSqlRegistryStore>());
        var manager = node.GetRequiredService<IRegistryManager>();
        await manager.AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com/team/*",
            Username = "ci",
            Password = "s3cret-for-test",
            Validate = false,
        });

        var resolution = await node.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/team/app:1");
        Assert.That(resolution.HasCredential, Is.True, resolution.Message);
        Assert.That(resolution.Credential!.Username, Is.EqualTo("ci"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo("s3cret-for-test"));
        Assert.That((await manager.ListAsync()).Single().Scope.Value, Is.EqualTo("reg.example.com/team/*"));
        Assert.That(await _server.ScalarAsync<long>("SELECT count(*) FROM registry_credentials.entries", database), Is.EqualTo(1));
    }

    [Test]
    public async Task UsePostgreSqlStore_with_a_data_source_leaves_it_to_its_owner()
    {
        var schema = PostgreSqlServer.NewName("ds_");
        await using var dataSource = NpgsqlDataSource.Create(_server.ConnectionString());
        await using (var node = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(dataSource, o => o.Schema = schema)))
        {
            await node.GetRequiredService<IRegistryStore>().AddAsync(Record("reg.example.com"));
        }

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.entries");
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1L));
    }

    [Test]
    public void Bad_options_are_refused_at_once()
    {
        Assert.Throws<ArgumentException>(() => new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions()));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = "Host=x",
            Schema = "Bad;Schema",
        }));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = "Host=x",
            NotifyChannel = "a\"b",
        }));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = "Host=x",
            CommandTimeout = TimeSpan.Zero,
        }));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRegistryCredentials().UsePostgreSqlStore("Host=x", o => o.Schema = "1abc"));
    }

    [Test]
    public async Task An_unreachable_server_is_a_transient_store_error_and_a_refused_login_is_not()
    {
        var closedPort = new PostgreSqlRegistryStore(
            new PostgreSqlRegistryStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2" });
        _disposables.Add(closedPort);
        var unreachable = Assert.ThrowsAsync<PostgreSqlStoreException>(async () => await closedPort.ListAsync(null));
        Assert.That(unreachable!.IsTransient, Is.True, unreachable.Message);
        Assert.That(unreachable.InnerException, Is.InstanceOf<NpgsqlException>());

        var wrongPassword = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = _server.ConnectionString().Replace(_server.Password, "wrong-password", StringComparison.Ordinal),
        });
        _disposables.Add(wrongPassword);
        var refused = Assert.ThrowsAsync<PostgreSqlStoreException>(async () => await wrongPassword.GetAsync("a", RegistryScope.Parse("x.io")));
        Assert.That(refused!.IsTransient, Is.False, refused.Message);
        Assert.That(refused.SqlState, Is.EqualTo("28P01"));
        Assert.That(refused.Message, Does.Not.Contain(_server.Password));
    }

    [Test]
    public async Task Timestamps_keep_microseconds_and_what_a_write_returns_is_what_a_read_gives()
    {
        var store = Store(PostgreSqlServer.NewName("time_"));
        var record = Record("reg.example.com");
        var precise = record.WithEntry(record.Entry with
        {
            CreatedOn = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567),
            UpdatedOn = new DateTimeOffset(2026, 3, 4, 5, 6, 8, TimeSpan.Zero).AddTicks(9),
        });

        var added = await store.AddAsync(precise);
        var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com"));

        Assert.That(read!.Entry, Is.EqualTo(added.Entry));
        Assert.That(read.Entry.CreatedOn, Is.EqualTo(precise.Entry.CreatedOn.AddTicks(-7)));
        Assert.That(read.Entry.UpdatedOn, Is.EqualTo(precise.Entry.UpdatedOn.AddTicks(-9)));
    }

    [Test]
    public async Task List_of_every_account_is_ordinal_even_for_case_and_punctuation()
    {
        var store = Store(PostgreSqlServer.NewName("order_"));
        string[] accounts = ["b", "B", "a-b", "a_b", "a", "ab"];
        foreach (var account in accounts)
        {
            await store.AddAsync(Record("z.io", account));
            await store.AddAsync(Record("reg.example.com/a", account));
            await store.AddAsync(Record("reg.example.com", account));
            await store.AddAsync(Record("reg.example.com:443", account));
            await store.AddAsync(Record("reg-example.com", account));
        }

        var keys = (await store.ListAsync(null)).Select(r => (r.Entry.Account, r.Entry.Scope.Value)).ToList();
        var expected = keys.OrderBy(k => k.Account, StringComparer.Ordinal).ThenBy(k => k.Value, StringComparer.Ordinal).ToList();
        Assert.That(keys, Is.EqualTo(expected));
        Assert.That(keys, Has.Count.EqualTo(30));
    }

    internal static RegistryRecord Record(string scope, string account = RegistryAccounts.Default, string username = "user") => new(
        new RegistryEntry
        {
            Account = account,
            Scope = RegistryScope.Parse(scope),
            Name = "name of " + scope,
            Type = RegistryType.DockerV2,
            Username = username,
            CreatedOn = Created,
            UpdatedOn = Created,
        },
        RandomNumberGenerator.GetBytes(32));

    internal static async Task<TimeSpan> WaitAsync(IChangeToken token, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (!token.HasChanged)
        {
            if (started.Elapsed > timeout)
            {
                Assert.Fail($"The change was not signalled within {timeout}.");
            }

            await Task.Delay(5);
        }

        return started.Elapsed;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private PostgreSqlRegistryStore Store(string schema = PostgreSqlRegistryStoreOptions.DefaultSchema, string database = PostgreSqlServer.Database)
    {
        var store = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = _server.ConnectionString(database), Schema = schema });
        _disposables.Add(store);
        return store;
    }

    /// <summary>The secret key every node of this test run's fleet shares (made per run).</summary>
    private static readonly string FleetKey = AesGcmSecretProtector.GenerateKey();

    private static ServiceProvider Node(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.Configure<SecretProtectionOptions>(o => o.Key = FleetKey);
        configure(services);
        return services.BuildServiceProvider();
    }

    [Test]
    public async Task UsePostgreSqlStore_protects_secrets_with_the_fleet_key()
    {
        var schema = PostgreSqlServer.NewName("fleetkey_");
        await using var nodeA = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(), o => o.Schema = schema));
        await using var nodeB = Node(services => services.AddRegistryCredentials().UsePostgreSqlStore(_server.ConnectionString(), o => o.Schema = schema));
        Assert.That(nodeA.GetRequiredService<ISecretProtector>(), Is.InstanceOf<AesGcmSecretProtector>());

        await nodeA.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com",
            Username = "u",
            Password = "shared",
            Validate = false,
        });

        var resolution = await nodeB.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/app");
        Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo("shared"));
    }
}
