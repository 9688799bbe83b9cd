using System.Text.RegularExpressions;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// Which store a run uses: <c>--store</c>, else <c>REGCRED_STORE</c>, else the default SQLite file. A value with a
/// <c>Host=</c> (or <c>Server=</c>) key is an Npgsql connection string (PostgreSQL); anything else is a SQLite file path.
/// Shared with the lookup executable (regcred-lookup), which has no PostgreSQL store: it hands such a run to regcred
/// (<see cref="UsePostgreSql"/>; regcred's is in StoreLocation.PostgreSql.cs).
/// </summary>
internal sealed partial class StoreLocation
{
    private StoreLocation(bool isPostgreSql, string value)
    {
        IsPostgreSql = isPostgreSql;
        Value = value;
    }

    public bool IsPostgreSql { get; }

    /// <summary>The absolute SQLite path, or the connection string.</summary>
    public string Value { get; }

    public static StoreLocation From(string? value, string defaultPath)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new StoreLocation(false, Path.GetFullPath(defaultPath));
        }

        return ConnectionStringHost().IsMatch(value)
            ? new StoreLocation(true, value)
            : new StoreLocation(false, Path.GetFullPath(value));
    }

    /// <summary>Chooses the store on the builder; creates the SQLite file's folder (mode 0700) when missing.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="lookupOnly">
    /// For a read-only lookup (the helper's <c>get</c>, the kubelet plugin): no SQLite integrity check when the file is
    /// opened (a full read of the file, once per process; the commands that write still run it).
    /// </param>
    public RegistryCredentialsBuilder Apply(RegistryCredentialsBuilder builder, bool lookupOnly = false)
    {
        if (IsPostgreSql)
        {
            return UsePostgreSql(builder);
        }

        var directory = Path.GetDirectoryName(Value);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        // A lookup reads once and exits: one read-only connection (no writer, no migration), no integrity check on open,
        // no change poller (nor its connection). A file that needs creating or migrating is the full host's to open.
        return lookupOnly
            ? builder.UseSqliteStore(Value, o =>
            {
                o.ReadOnly = true;
                o.CheckIntegrityOnOpen = false;
                o.WatchOtherProcesses = false;
            })
            : builder.UseSqliteStore(Value);
    }

    /// <summary>Chooses the PostgreSQL store at <see cref="Value"/> (a connection string).</summary>
    private partial RegistryCredentialsBuilder UsePostgreSql(RegistryCredentialsBuilder builder);

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringHost();
}
