namespace RegistryCredentials;

/// <summary>Overloads of <see cref="IRegistryManager"/> that take the scope as text.</summary>
public static class RegistryManagerExtensions
{
    /// <summary>Gets one entry.</summary>
    /// <param name="manager">The manager.</param>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    public static Task<RegistryEntry> GetAsync(
        this IRegistryManager manager,
        string scope,
        string? account = null,
        CancellationToken cancellationToken = default) =>
        Manager(manager).GetAsync(RegistryScope.Parse(scope), account, cancellationToken);

    /// <summary>Deletes an entry and its secret; with <paramref name="expectedVersion"/>, only if it is still at that version.</summary>
    /// <param name="manager">The manager.</param>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="expectedVersion">The version the caller read; null deletes whatever version is stored.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is gone.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    /// <exception cref="RegistryConcurrencyException">The entry is not at <paramref name="expectedVersion"/>; it is left as it was.</exception>
    public static Task DeleteAsync(
        this IRegistryManager manager,
        string scope,
        string? account = null,
        long? expectedVersion = null,
        CancellationToken cancellationToken = default) =>
        Manager(manager).DeleteAsync(RegistryScope.Parse(scope), account, expectedVersion, cancellationToken);

    /// <summary>Activates an entry.</summary>
    /// <param name="manager">The manager.</param>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    public static Task<RegistryEntry> ActivateAsync(
        this IRegistryManager manager,
        string scope,
        string? account = null,
        CancellationToken cancellationToken = default) =>
        Manager(manager).ActivateAsync(RegistryScope.Parse(scope), account, cancellationToken);

    /// <summary>Deactivates an entry.</summary>
    /// <param name="manager">The manager.</param>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    public static Task<RegistryEntry> DeactivateAsync(
        this IRegistryManager manager,
        string scope,
        string? account = null,
        CancellationToken cancellationToken = default) =>
        Manager(manager).DeactivateAsync(RegistryScope.Parse(scope), account, cancellationToken);

    /// <summary>Checks a stored entry's credential against its registry.</summary>
    /// <param name="manager">The manager.</param>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the check found.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    public static Task<RegistryValidationResult> ValidateAsync(
        this IRegistryManager manager,
        string scope,
        string? account = null,
        CancellationToken cancellationToken = default) =>
        Manager(manager).ValidateAsync(RegistryScope.Parse(scope), account, cancellationToken);

    private static IRegistryManager Manager(IRegistryManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager;
    }
}
