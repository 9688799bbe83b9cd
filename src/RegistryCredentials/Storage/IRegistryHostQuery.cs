namespace RegistryCredentials;

/// <summary>
/// An optional query beside <see cref="IRegistryStore"/>: the entries that can match a pull from one registry, read
/// without reading every entry. The resolver uses it when <see cref="RegistryCredentialsOptions.LoadIndexOnDemand"/> is
/// set (a short-lived process that resolves a few references and exits); a store without it is read whole, as always.
/// </summary>
/// <remarks>
/// Contract: <see cref="ListForRegistryAsync"/> returns every entry whose scope's registry (<see cref="RegistryScope.Registry"/>,
/// <c>host[:port]</c>) equals the registry asked, compared case-insensitively, and every entry whose host is a glob
/// (<see cref="RegistryScope.IsGlob"/>), whatever its port: those are all the resolver's precedence can pick for a
/// reference of that registry (docs/matching.md). It returns no entry of another exact host or port. It reads the same
/// committed state as <see cref="IRegistryStore.ListAsync"/> would at that moment, and is thread-safe. The
/// <c>RegistryCredentials.Testing</c> conformance suite checks it for a store that implements it.
/// </remarks>
public interface IRegistryHostQuery
{
    /// <summary>Lists the entries that can match a reference of <paramref name="registry"/>, ordered by account and then by scope text (ordinal).</summary>
    /// <param name="account">One account, or null for every account.</param>
    /// <param name="registry">
    /// The registry, <c>host[:port]</c> as <see cref="RegistryScope.Registry"/> and <see cref="ImageReference.Registry"/> give
    /// it (Docker Hub is <c>docker.io</c>).
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries of that registry and every glob-host entry, of the account (or of every account).</returns>
    ValueTask<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(string? account, string registry, CancellationToken cancellationToken = default);
}
