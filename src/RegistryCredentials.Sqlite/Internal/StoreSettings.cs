namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The options a store runs with, checked and copied once when it is created (later changes have no effect).</summary>
/// <param name="Path">The full path of the database file.</param>
/// <param name="BusyTimeout">How long a statement waits for another connection's lock.</param>
/// <param name="ChangePollInterval">How often the change source looks for other processes' changes.</param>
/// <param name="MaxRetries">How many times an operation is retried while the file stays locked.</param>
/// <param name="CheckIntegrityOnOpen">Whether opening runs SQLite's quick integrity check.</param>
/// <param name="WatchOtherProcesses">Whether the change source polls for other processes' changes.</param>
/// <param name="ReadOnly">Whether the store only reads, through read-only connections.</param>
internal sealed record StoreSettings(
    string Path,
    TimeSpan BusyTimeout,
    TimeSpan ChangePollInterval,
    int MaxRetries,
    bool CheckIntegrityOnOpen,
    bool WatchOtherProcesses = true,
    bool ReadOnly = false)
{
    /// <summary>Checks the options and copies them, with the path made full.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static StoreSettings From(SqliteRegistryStoreOptions options)
    {
        Validate(options);
        return new StoreSettings(
            System.IO.Path.GetFullPath(options.Path),
            options.BusyTimeout,
            options.ChangePollInterval,
            options.MaxRetries,
            options.CheckIntegrityOnOpen,
            options.WatchOtherProcesses,
            options.ReadOnly);
    }

    /// <summary>Checks the options; <c>UseSqliteStore</c> calls it at registration, before any store is created.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static void Validate(SqliteRegistryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("SqliteRegistryStoreOptions.Path must name the database file.", nameof(options));
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException(
                $"SqliteRegistryStoreOptions.BusyTimeout must be positive and at most {int.MaxValue} ms; it is {options.BusyTimeout}.",
                nameof(options));
        }

        if (options.ChangePollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"SqliteRegistryStoreOptions.ChangePollInterval must be positive; it is {options.ChangePollInterval}.",
                nameof(options));
        }

        if (options.MaxRetries < 0)
        {
            throw new ArgumentException($"SqliteRegistryStoreOptions.MaxRetries must not be negative; it is {options.MaxRetries}.", nameof(options));
        }
    }
}
