namespace RegistryCredentials.Shared;

/// <summary>
/// The arguments of <see cref="IRegistryStore.ReplaceKeyIdsAsync"/>, checked and made canonical: key ids are compared as
/// sets, so each list is reduced to its distinct ids in ordinal order, the order the stores keep and return them in.
/// </summary>
/// <remarks>Shared source: compiled into each store package (SQLite, PostgreSQL) as an internal type.</remarks>
internal static class KeyIdArguments
{
    /// <summary>Checks and canonicalises the arguments.</summary>
    /// <param name="expected">The ids the caller read.</param>
    /// <param name="keyIds">The new ids; not empty.</param>
    /// <returns>Both lists, distinct and in ordinal order.</returns>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyIds"/> is empty.</exception>
    public static (string[] Expected, string[] KeyIds) Canonical(IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("A store's key ids are replaced by at least one.", nameof(keyIds));
        }

        return (Distinct(expected), Distinct(keyIds));
    }

    private static string[] Distinct(IReadOnlyCollection<string> ids) => [.. ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
