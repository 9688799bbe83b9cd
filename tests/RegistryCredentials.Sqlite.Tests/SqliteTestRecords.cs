using System.Security.Cryptography;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>The record the file-level SQLite tests store: a docker_v2 entry with fixed times and random protected bytes.</summary>
internal static class SqliteTestRecords
{
    /// <summary>A record for <paramref name="scope"/> in the default account.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="username">The user name.</param>
    /// <returns>The record, with 200 random bytes standing for the protected secret.</returns>
    public static RegistryRecord Record(string scope, string username = "user") => new(
        new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(scope),
            Name = "name of " + scope,
            Type = RegistryType.DockerV2,
            Username = username,
            Email = "ops@example.com",
            CreatedOn = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            UpdatedOn = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        },
        RandomNumberGenerator.GetBytes(200));
}
